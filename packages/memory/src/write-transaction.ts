import type Database from 'better-sqlite3';
import { MemoryError } from './errors.js';

/**
 * How long a writer keeps waiting for the write lock while no other process commits anything, in ms.
 * While others commit, the lock is changing hands and the writer's turn will come, however many wait.
 */
export const STALLED_LOCK_MS = 30_000;

const isBusy = (error: unknown) =>
  typeof error === 'object' && error !== null && /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code));

const pause = new Int32Array(new SharedArrayBuffer(4));

/** A number that changes whenever another connection commits (SQLite's `data_version`); undefined while it cannot be read. */
function commitsSeen(db: Database.Database): number | undefined {
  try {
    return db.pragma('data_version', { simple: true }) as number;
  } catch (error) {
    if (isBusy(error)) return undefined;
    throw error;
  }
}

/**
 * Runs `body`, retrying with jittered backoff while SQLite answers BUSY or LOCKED. The busy timeout
 * covers most waits, but some lock states (a WAL being recovered, a journal mode change, a read
 * transaction that must become a write) fail at once, and SQLite's busy handler polls rather than
 * queues, so under many writers one can lose the race again and again. A fixed deadline would then
 * drop that writer's work although the database was never stuck; instead the writer waits as long as
 * other processes keep committing, and gives up only when nothing was committed for `stalledMs` (ms).
 * @throws MemoryError `busy` (exit 1) when the holder of the lock made no progress for `stalledMs`.
 */
export function retryWhileBusy<T>(db: Database.Database, body: () => T, stalledMs = STALLED_LOCK_MS): T {
  let seen = commitsSeen(db);
  let progressAt = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return body();
    } catch (error) {
      if (!isBusy(error)) throw error;
      const now = Date.now();
      const current = commitsSeen(db);
      if (current !== undefined && current !== seen) {
        seen = current;
        progressAt = now;
        attempt = 0;
      }
      if (now - progressAt >= stalledMs) {
        throw new MemoryError(
          'busy',
          `team memory ${db.name} stayed locked by another process that committed nothing for ${Math.round(stalledMs / 1000)} s; nothing was written. Try again once the other coordinate command has finished`,
          { file: db.name },
          { cause: error },
        );
      }
      // Synchronous like the transaction itself: better-sqlite3 has no async path to yield to.
      Atomics.wait(pause, 0, 0, Math.min(1000, 10 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random()));
    }
  }
}

/** Runs `body` in a `BEGIN IMMEDIATE` transaction, the whole transaction retried while the database is busy. */
export function writeTransaction<T>(db: Database.Database, body: () => T, stalledMs = STALLED_LOCK_MS): T {
  const run = db.transaction(body);
  return retryWhileBusy(db, () => run.immediate(), stalledMs);
}
