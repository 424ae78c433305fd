import { Writable } from 'node:stream';
import type { TerminalStream } from './context.js';

/**
 * Standard output that may go away (`coordinate demo | head -2`): once a write fails with EPIPE
 * nothing more is written to it (`gone` turns true) and `onClosed` is told once, so the command
 * can stop what it runs and keep its files consistent instead of dying mid-write.
 */
export class GuardedStdout extends Writable {
  gone = false;

  constructor(
    private readonly target: NodeJS.WriteStream,
    onClosed: () => void,
  ) {
    super({ decodeStrings: false });
    target.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      if (this.gone) return;
      this.gone = true;
      onClosed();
    });
  }

  get isTTY(): boolean {
    return Boolean(this.target.isTTY);
  }

  get columns(): number | undefined {
    return this.target.columns;
  }

  get rows(): number | undefined {
    return this.target.rows;
  }

  override _write(chunk: string | Buffer, encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.gone) return done();
    // The target's own EPIPE arrives as an 'error' event (handled above), never as this write's failure.
    this.target.write(chunk, encoding, () => done());
  }
}

/** True once `stream` is standard output that the reader closed. */
export const isGone = (stream: TerminalStream): boolean => stream instanceof GuardedStdout && stream.gone;
