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
 * `append` queues the line and the queue is written in one write at the end of the event loop's
 * turn (or at once by `sync`, `close` or the process's exit), so the file holds every event in
 * order and a busy coordinator makes one write per turn instead of one per event. Surviving the
 * machine's crash takes an fsync, and that is a group commit: `sync` writes what is queued and
 * resolves once everything appended before it is on disk, and every caller waiting at the same time
 * shares one fsync, run off the event loop. The coordinator syncs before it tells a worker anything
 * the journal must back (an attempt's reserved number, an acknowledged result), so nothing a worker
 * was told can be missing from the journal, a burst of results costs one fsync instead of one each,
 * and no disk stall holds up the other workers.
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
  #writes = 0;
  /** Bytes known to be whole lines; a failed write is cut back to this. */
  #size: number;
  /** Lines appended but not written yet, in order. */
  #queued: string[] = [];
  #writeScheduled: NodeJS.Immediate | undefined;

  private constructor(
    readonly file: string,
    fd: number,
    size: number,
    private readonly now: () => number,
    private readonly redactor: Redactor,
  ) {
    this.#fd = fd;
    this.#size = size;
    openJournals.add(this);
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

  /** How many writes (each of every line queued until then) the journal has made since it was opened. */
  get writes(): number {
    return this.#writes;
  }

  /**
   * Validates, stamps, redacts (no secret reaches the journal, whoever sent it) and queues one
   * event for this turn's write; returns it as written. Nothing is written for an invalid event.
   * Throws JournalError `write_failed` once a write or an fsync failed.
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
    this.#queued.push(`${JSON.stringify(written)}\n`);
    this.#writeScheduled ??= setImmediate(() => this.write());
    return written;
  }

  /** Writes every queued line now, in one write (otherwise done at the end of the turn); a failure fails the journal, as nothing later is trusted. */
  write(): void {
    if (this.#writeScheduled) clearImmediate(this.#writeScheduled);
    this.#writeScheduled = undefined;
    const fd = this.#fd;
    if (fd === undefined || this.#queued.length === 0 || this.#failure) return;
    const bytes = Buffer.from(this.#queued.join(''), 'utf8');
    this.#queued = [];
    this.#writes++;
    try {
      writeAll(fd, bytes);
    } catch (error) {
      // A half-written line would make every later line unreadable: cut it off before failing.
      fs.ftruncateSync(fd, this.#size);
      this.#failure = new JournalError('write_failed', `the journal ${this.file} could not be written: ${(error as Error).message}`);
      return;
    }
    this.#size += bytes.length;
    this.#dirty = true;
  }

  /** Resolves once every event appended so far is on disk; rejects with write_failed if the disk refused. */
  sync(): Promise<void> {
    this.write();
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
      openJournals.delete(this);
      const fd = this.#fd;
      this.#fd = undefined;
      await new Promise<void>((resolve, reject) => fs.close(fd, (error) => (error ? reject(error) : resolve())));
    }
  }
}

/** A process that exits before the turn ends still writes what each open journal was given. */
const openJournals = new Set<Journal>();
process.on('exit', () => {
  for (const journal of openJournals) journal.write();
});

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
