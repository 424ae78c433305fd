import { formatZodError, zodProblems } from '@coordinate/protocol';
import fs from 'node:fs';
import path from 'node:path';
import { createRedactor, redactDeep, type Redactor } from '@coordinate/logging';
import { JournalError } from './errors.js';
import { JournalEvent, type NewJournalEvent } from './events.js';
import { parseJournal } from './parse.js';

export interface JournalOptions {
  /** Stamps `ts` on events that come without one (default Date.now). */
  now?: () => number;
  /** Applied to every string of an event before it is written (default: the secret detector alone). */
  redactor?: Redactor;
}

/**
 * The run's append-only event log (JSON Lines), the source of truth for `coordinate resume`.
 *
 * `append` writes the line at once, so the file always holds every event in order and survives
 * the coordinator's own crash. Surviving the machine's crash takes an fsync, and that is a group
 * commit: `sync` resolves once everything appended before it is on disk, and every caller waiting
 * at the same time shares one fsync, run off the event loop. The coordinator syncs before it tells
 * a worker anything the journal must back (an assignment, an acknowledged result), so a burst of
 * results costs one fsync instead of one each, and no disk stall holds up the other workers.
 */
export class Journal {
  #fd: number | undefined;
  /** Lines written that no finished or running fsync covers. */
  #dirty = false;
  /** The fsync under way, if any. */
  #flushing: Promise<void> | undefined;
  /** The fsync that waits for the one under way, shared by everyone who asked meanwhile. */
  #next: Promise<void> | undefined;
  /** Once an fsync failed, nothing later is trusted to reach the disk. */
  #failure: JournalError | undefined;
  #syncs = 0;
  /** Bytes known to be whole lines; a failed write is cut back to this. */
  #size: number;

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
    private readonly now: () => number,
    private readonly redactor: Redactor,
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
    return new Journal(file, fd, size, options.now ?? Date.now, options.redactor ?? createRedactor([]));
  }

  /** How many fsyncs the journal has made since it was opened. */
  get syncs(): number {
    return this.#syncs;
  }

  /**
   * Validates, stamps, redacts (no secret reaches the journal, whoever sent it) and writes one
   * event; returns it as written. Nothing is written for an invalid event.
   */
  append(event: NewJournalEvent): JournalEvent {
    if (this.#fd === undefined) throw new JournalError('closed', `journal ${this.file} is closed`);
    if (this.#failure) throw this.#failure;
    const parsed = JournalEvent.safeParse({ ...event, ts: event.ts ?? this.now() });
    if (!parsed.success) {
      const type = typeof (event as { type?: unknown }).type === 'string' ? (event as { type: string }).type : 'event';
      throw new JournalError('invalid_event', `refused to journal an invalid ${type}: ${formatZodError(parsed.error)}`, {
        type,
        issues: zodProblems(parsed.error).slice(0, 5).map((problem) => ({ path: problem.path.map(String), message: problem.message })),
      });
    }
    const written = redactDeep(parsed.data, this.redactor);
    const line = Buffer.from(`${JSON.stringify(written)}\n`, 'utf8');
    try {
      writeAll(this.#fd, line);
    } catch (error) {
      // A half-written line would make every later line unreadable: cut it off before failing.
      fs.ftruncateSync(this.#fd, this.#size);
      throw error;
    }
    this.#size += line.length;
    this.#dirty = true;
    return written;
  }

  /** Resolves once every event appended so far is on disk; rejects with write_failed if the disk refused. */
  sync(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    // Clean: whatever is written is covered by the fsync under way, if there is one.
    if (!this.#dirty) return this.#flushing ?? Promise.resolve();
    this.#next ??= (this.#flushing ?? Promise.resolve()).then(() => {
      this.#next = undefined;
      return this.#flush();
    });
    return this.#next;
  }

  #flush(): Promise<void> {
    const fd = this.#fd;
    if (fd === undefined || !this.#dirty) return Promise.resolve();
    this.#dirty = false;
    this.#syncs++;
    const flushing = new Promise<void>((resolve, reject) =>
      fs.fsync(fd, (error) => {
        if (error) {
          this.#failure ??= new JournalError('write_failed', `the journal ${this.file} could not be synced to disk: ${error.message}`);
          reject(this.#failure);
        } else resolve();
      }),
    ).finally(() => {
      if (this.#flushing === flushing) this.#flushing = undefined;
    });
    this.#flushing = flushing;
    return flushing;
  }

  async close(): Promise<void> {
    if (this.#fd === undefined) return;
    try {
      await this.sync();
    } finally {
      const fd = this.#fd;
      this.#fd = undefined;
      await new Promise<void>((resolve, reject) => fs.close(fd, (error) => (error ? reject(error) : resolve())));
    }
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
