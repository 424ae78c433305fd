import { join } from 'node:path';
import { ChangeRefusedError, ProtocolError, type CoordinatorMessage, type MessageOf, type Outgoing, type TaskBase, type TaskResultBody, type TaskSpec, type WorkerMessage } from '@coordinate/protocol';
import { git } from '../git/index.js';
import { runBranch } from '../run/layout.js';
import { BaseBundles } from './base-bundles.js';
import { BranchReader } from './branch-reader.js';
import { ChangeUploads } from './change-uploads.js';
import { importChange } from './import-change.js';
import { SharedRead } from './shared-read.js';

export interface RemoteTasksOptions {
  repo: string;
  runId: string;
  /** A folder of the run's own for bundles in flight; removed when the run ends. */
  dir: string;
}

const keyOf = (taskId: string, attempt: number) => `${taskId}#${attempt}`;

/**
 * The repository side of workers without the shared filesystem: which commit each attempt starts
 * from, its bundle served in chunks, and the change it returns taken into the task's worktree so the
 * task lands exactly like a local one.
 */
export class RemoteTasks {
  readonly #bases = new Map<string, string>();
  readonly #bundles: BaseBundles;
  readonly #uploads: ChangeUploads;
  /**
   * The commit a ref names in a folder, undefined outside git. Every attempt given to a worker
   * elsewhere looks one up, and a process spawn stalls the event loop for milliseconds once the
   * coordinator is large: lookups arriving together share one `git`.
   */
  readonly #commits = new SharedRead(async (key) => {
    const [cwd, rev] = JSON.parse(key) as [string, string];
    const found = await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd, okExitCodes: [0, 1, 128] }).catch(() => undefined);
    return found?.exitCode === 0 ? found.stdout.trim() : undefined;
  });
  /** The run branch every research attempt starts from, looked up again only once it moved. */
  readonly #branches = new BranchReader((cwd, ref) => this.#commits.get(JSON.stringify([cwd, ref])));

  constructor(private readonly options: RemoteTasksOptions) {
    this.#bundles = new BaseBundles({ repo: options.repo, dir: join(options.dir, 'base') });
    this.#uploads = new ChangeUploads(join(options.dir, 'changes'));
  }

  /**
   * The commit an attempt starts from: a research task reads the run branch, the others the
   * worktree prepared for them. Undefined outside git (a research-only run works in the worker's own folder).
   */
  async baseFor(task: TaskSpec, attempt: number, root: string): Promise<TaskBase | undefined> {
    const commit =
      task.role === 'research'
        ? await this.#branches.commitOf(this.options.repo, `refs/heads/${runBranch(this.options.runId)}`)
        : await this.#commits.get(JSON.stringify([root, 'HEAD']));
    if (commit === undefined) return undefined;
    this.#bases.set(keyOf(task.id, attempt), commit);
    return { commit };
  }

  /** Answers `bundle.get` from the worker holding the attempt. */
  async serveBase(message: MessageOf<WorkerMessage, 'bundle.get'>): Promise<Outgoing<MessageOf<CoordinatorMessage, 'bundle.part'>>> {
    const commit = this.#bases.get(keyOf(message.taskId, message.attempt));
    if (commit === undefined) throw new ProtocolError('not_found', `attempt ${message.attempt} of ${message.taskId} has no base commit to fetch`);
    return { ...(await this.#bundles.part(commit, message.offset)), replyTo: message.id };
  }

  /** Answers `bundle.put` from the worker holding the attempt. */
  async storeChange(message: MessageOf<WorkerMessage, 'bundle.put'>): Promise<Outgoing<MessageOf<CoordinatorMessage, 'bundle.stored'>>> {
    const { taskId, attempt, sha256, bytes, offset, data } = message;
    const received = await this.#uploads.put(taskId, attempt, { sha256, bytes }, offset, data);
    return { type: 'bundle.stored', received, replyTo: message.id };
  }

  /** Takes a remote implementation's uploaded change into its worktree (`root`) before the result lands; a result without one is unchanged. */
  async takeIn(task: TaskSpec, attempt: number, result: TaskResultBody, root: string | undefined): Promise<TaskResultBody> {
    const { change } = result;
    if (change === undefined || result.outcome !== 'succeeded') return result;
    if (task.role !== 'implement' || root === undefined) throw new ChangeRefusedError(`a ${task.role} task returns no change`);
    const expected = this.#bases.get(keyOf(task.id, attempt));
    if (change.base !== expected) throw new ChangeRefusedError(`the change starts from ${change.base}, not from the attempt's base ${expected ?? '(none)'}`);
    const file = this.#uploads.take(task.id, attempt, change);
    await importChange({ repo: this.options.repo, worktree: root, file, change, quarantineRef: `refs/coordinate/incoming/${this.options.runId}/${task.id}-${attempt}` });
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([this.#bundles.close(), this.#uploads.close()]);
  }
}
