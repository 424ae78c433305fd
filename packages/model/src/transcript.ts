import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { redactDeep, type Redactor } from '@coordinate/logging';

export type TranscriptKind = 'request' | 'response' | 'error' | 'retry';

/**
 * Appends one JSON line per model request, response, error or retry to a task's transcript,
 * every string passed through the redactor first. Writes are queued, so lines keep their order
 * and a failing disk never interrupts the model loop; `flush` reports such a failure.
 */
export class TranscriptWriter {
  private queue: Promise<void>;
  private failure: unknown;

  constructor(
    readonly file: string,
    private readonly redactor: Redactor,
    private readonly now: () => number = Date.now,
  ) {
    this.queue = mkdir(dirname(file), { recursive: true }).then(() => undefined);
  }

  write(kind: TranscriptKind, body: unknown): void {
    const line = `${this.redactor(JSON.stringify({ ts: this.now(), kind, body: redactDeep(body, this.redactor) }))}\n`;
    this.queue = this.queue.then(() => appendFile(this.file, line)).catch((error: unknown) => {
      this.failure ??= error;
    });
  }

  /** Waits for the queued lines; throws the first write failure, if any. */
  async flush(): Promise<void> {
    await this.queue;
    if (this.failure !== undefined) throw this.failure;
  }
}
