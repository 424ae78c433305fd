import type Database from 'better-sqlite3';
import { retryWhileBusy, writeTransaction } from './write-transaction.js';
import { randomUUID } from 'node:crypto';
import { MemoryError } from './errors.js';

/**
 * A lease in the database itself, so coordinators in different processes agree on it; it expires,
 * so a crashed holder cannot block the next one for ever.
 */
export function withLock<T>(db: Database.Database, name: string, now: () => number, ttlMs: number, body: () => Promise<T>): Promise<T> {
  const owner = randomUUID();
  writeTransaction(db, () => {
    db.prepare('DELETE FROM locks WHERE name = ? AND expires_at <= ?').run(name, now());
    const held = db.prepare('SELECT owner, expires_at FROM locks WHERE name = ?').get(name) as { expires_at: number } | undefined;
    if (held) {
      throw new MemoryError('locked', `another coordinator is already running "${name}" (its lease ends at ${new Date(held.expires_at).toISOString()}); try again later`, { name });
    }
    db.prepare('INSERT INTO locks (name, owner, expires_at) VALUES (?, ?, ?)').run(name, owner, now() + ttlMs);
  });
  return body().finally(() => {
    retryWhileBusy(db, () => db.prepare('DELETE FROM locks WHERE name = ? AND owner = ?').run(name, owner));
  });
}
