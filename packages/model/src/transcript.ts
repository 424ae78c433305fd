import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactDeep, type Redactor } from '@coordinate/logging';

export type TranscriptKind = 'request' | 'response' | 'error' | 'retry';

interface Entry {
  ts: number;
  kind: TranscriptKind;
  body: unknown;
}

/**
 * Appends one JSON line per model request, response, error or retry to a task's transcript,
 * every string passed through the redactor first. Entries are serialized and written later, in
 * order, through one open file and several at a time when they pile up: the model loop sends its
 * next request first, and a turn costs one write rather than an open, a write and a close each.
 * A failing disk never interrupts the model loop; `close` reports such a failure.
 */
export class TranscriptWriter {
  #pending: Entry[] = [];
  #draining: Promise<void> | undefined;
  #handle: Promise<FileHandle> | undefined;
  #failure: Error | undefined;

  constructor(
    readonly file: string,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues one entry. It is serialized after the caller moves on, so `body` must not be changed afterwards. */
  write(kind: TranscriptKind, body: unknown): void {
    this.#pending.push({ ts: this.now(), kind, body });
    this.#draining ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.#drain());
  }

  /** Waits for the queued lines and closes the file (a later write opens it again); throws the first write failure, if any. */
  async close(): Promise<void> {
    await this.#draining;
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.then((h) => h.close()).catch(() => undefined);
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const entries = this.#pending.splice(0);
        try {
          const lines = entries.map(({ ts, kind, body }) => `${this.redactor(JSON.stringify({ ts, kind, body: redactDeep(body, this.redactor) }))}\n`).join('');
          const handle = await (this.#handle ??= mkdir(dirname(this.file), { recursive: true }).then(() => open(this.file, 'a')));
          await handle.appendFile(lines);
        } catch (error) {
          this.#failure ??= error instanceof Error ? error : new Error(String(error));
          this.#handle = undefined;
        }
      }
    } finally {
      this.#draining = undefined;
    }
  }
}
