import fs from 'node:fs';
import path from 'node:path';
import { JournalError } from './errors.js';
import { JournalEvent, type NewJournalEvent } from './events.js';
import { parseJournal } from './parse.js';

export interface JournalOptions {
  /** Stamps `ts` on events that come without one (default Date.now). */
  now?: () => number;
}

/**
 * Events that only narrate a task's progress. Resume never needs them, so they are written
 * without their own fsync: the next state change (or close) makes them durable together,
 * which keeps a chatty worker from stalling the coordinator on disk syncs.
 */
const NARRATION: ReadonlySet<JournalEvent['type']> = new Set(['task.progress']);

/**
 * The run's append-only event log (JSON Lines), the source of truth for `coordinate resume`.
 * `append` of a state change returns only once the line is on disk (written and fsync'd), so
 * whatever the coordinator acknowledged to a worker survives a crash.
 */
export class Journal {
  #fd: number | undefined;
  /** Lines written since the last fsync. */
  #unsynced = false;
  /** Bytes known to be whole lines; a failed write is cut back to this. */
  #size: number;

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
    private readonly now: () => number,
  ) {
    this.#fd = fd;
    this.#size = size;
  }

  /**
   * Opens `file` for appending, creating it and its folder. A torn last line left by a crash is
   * cut off first, so the next event starts on a clean line; a damaged line before it throws
   * JournalError('corrupt_journal').
   */
  static async open(file: string, options: JournalOptions = {}): Promise<Journal> {
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const existed = fs.existsSync(file);
    let size = 0;
    if (existed) {
      const bytes = await fs.promises.readFile(file);
      const { tornTail, goodBytes } = parseJournal(bytes, file);
      if (tornTail) await fs.promises.truncate(file, goodBytes);
      size = goodBytes;
    }
    const fd = fs.openSync(file, 'a');
    if (!existed) syncFolder(path.dirname(file));
    else fs.fsyncSync(fd);
    return new Journal(file, fd, size, options.now ?? Date.now);
  }

  /** Validates, stamps and writes one event (fsync'd unless it is narration); returns it as written. Nothing is written for an invalid event. */
  append(event: NewJournalEvent): JournalEvent {
    if (this.#fd === undefined) throw new JournalError('closed', `journal ${this.file} is closed`);
    const parsed = JournalEvent.safeParse({ ...event, ts: event.ts ?? this.now() });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      const type = typeof (event as { type?: unknown }).type === 'string' ? (event as { type: string }).type : 'event';
      throw new JournalError('invalid_event', `refused to journal an invalid ${type}: ${where}${issue?.message ?? 'schema mismatch'}`, {
        type,
        issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.map(String), message: i.message })),
      });
    }
    const line = Buffer.from(`${JSON.stringify(parsed.data)}\n`, 'utf8');
    try {
      writeAll(this.#fd, line);
      if (NARRATION.has(parsed.data.type)) this.#unsynced = true;
      else this.#sync(this.#fd);
    } catch (error) {
      // A half-written line would make every later line unreadable: cut it off before failing.
      fs.ftruncateSync(this.#fd, this.#size);
      throw error;
    }
    this.#size += line.length;
    return parsed.data;
  }

  #sync(fd: number): void {
    fs.fsyncSync(fd);
    this.#unsynced = false;
  }

  async close(): Promise<void> {
    if (this.#fd === undefined) return;
    const fd = this.#fd;
    if (this.#unsynced) this.#sync(fd);
    this.#fd = undefined;
    await new Promise<void>((resolve, reject) => fs.close(fd, (error) => (error ? reject(error) : resolve())));
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Makes a new file's directory entry durable, so the journal itself survives a crash, not only its lines. */
function syncFolder(folder: string): void {
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
