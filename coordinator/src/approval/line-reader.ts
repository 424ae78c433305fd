import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Reads answers one line at a time from any stream: a terminal, a pipe, a test's stdin. */
export class LineReader {
  private readonly lines: string[] = [];
  private waiting: ((line: string | null) => void) | undefined;
  private ended = false;
  private readonly rl;

  constructor(private readonly input: Readable) {
    this.rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.rl.on('line', (line) => {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(line);
      } else this.lines.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      this.waiting?.(null);
      this.waiting = undefined;
    });
  }

  /** The next line, or null once the input has ended. */
  next(): Promise<string | null> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(null);
    this.input.resume();
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** Stops reading while another program (the editor) owns the terminal. */
  pause(): void {
    this.input.pause();
  }

  close(): void {
    this.rl.close();
  }
}
