import { join } from 'node:path';
import { createSpareWorktree, removeSpareWorktree, type SpareCheckout } from './worktree.js';

export interface SpareWorktreesOptions {
  repo: string;
  /** The run's worktree folder: spares are `<dir>/.spare-<n>`, a name no task id can take. */
  dir: string;
  /** The commit a new spare is made at (the run branch's head), or undefined to make none. */
  commit(): Promise<string | undefined>;
}

/**
 * Keeps one worktree made ahead of need, so that a task added while the run runs (a fix after a
 * failed verification, a conflict's resolution) starts without waiting for a checkout of the whole
 * tree. A spare is handed out only when it is ready, never waited for; the next one is made in
 * the background once the last was used.
 */
export class SpareWorktrees {
  #made = 0;
  #ready: SpareCheckout | undefined;
  #making: Promise<void> | undefined;
  #closed = false;

  constructor(private readonly options: SpareWorktreesOptions) {}

  /** Starts making a spare, unless one is ready or on its way. A spare that cannot be made is simply not there. */
  fill(): void {
    if (this.#closed || this.#ready || this.#making) return;
    const path = join(this.options.dir, `.spare-${++this.#made}`);
    this.#making = (async () => {
      const commit = await this.options.commit();
      if (commit === undefined) return;
      const spare = await createSpareWorktree(this.options.repo, path, commit);
      if (this.#closed) await removeSpareWorktree(this.options.repo, spare);
      else this.#ready = spare;
    })()
      .catch(() => undefined)
      .finally(() => (this.#making = undefined));
  }

  /** The ready spare, now the caller's (it moves it into place); undefined when none is ready. */
  take(): SpareCheckout | undefined {
    const spare = this.#ready;
    this.#ready = undefined;
    return spare;
  }

  /** Makes no more and removes the spare nobody took, once the one on its way is done. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#making;
    const spare = this.take();
    if (spare) await removeSpareWorktree(this.options.repo, spare);
  }
}
