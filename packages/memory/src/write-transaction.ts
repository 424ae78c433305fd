import type Database from 'better-sqlite3';
import { MemoryError } from './errors.js';

/** How long a writer keeps trying for the write lock before it gives up, in ms. */
export const WRITE_LOCK_WAIT_MS = 30_000;

const isBusy = (error: unknown) =>
  typeof error === 'object' && error !== null && /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code));

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `body`, retrying with jittered backoff while SQLite answers BUSY or LOCKED, until `waitMs`
 * (ms) has passed. The busy timeout covers most waits, but some lock states (a WAL being
 * recovered, a journal mode change, a read transaction that must become a write) fail at once.
 * @throws MemoryError `busy` (exit 1) when the lock could not be had in time.
 */
export function retryWhileBusy<T>(db: Database.Database, body: () => T, waitMs = WRITE_LOCK_WAIT_MS): T {
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return body();
    } catch (error) {
      if (!isBusy(error)) throw error;
      if (Date.now() >= deadline) {
        throw new MemoryError(
          'busy',
          `team memory ${db.name} stayed locked by another process for ${Math.round(waitMs / 1000)} s; nothing was written. Try again once the other coordinate command has finished`,
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
export function writeTransaction<T>(db: Database.Database, body: () => T, waitMs = WRITE_LOCK_WAIT_MS): T {
  const run = db.transaction(body);
  return retryWhileBusy(db, () => run.immediate(), waitMs);
}
