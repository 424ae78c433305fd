import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryError } from './errors.js';
import { useTempMemory } from './test-helpers.test-helper.js';
import { writeTransaction } from './write-transaction.js';

const memory = useTempMemory();
const held: Database.Database[] = [];
afterEach(() => {
  for (const db of held.splice(0)) db.close();
});

describe('writes while another process holds the database', () => {
  it('fails with a busy error (exit 1) naming the file when the lock cannot be had in time', () => {
    const file = join(memory.dir(), 'memory.db');
    memory.open(file).close();
    const holder = new Database(file);
    held.push(holder);
    const writer = new Database(file, { timeout: 0 });
    held.push(writer);
    holder.exec('BEGIN IMMEDIATE');
    let failure: unknown;
    try {
      writeTransaction(writer, () => writer.prepare("INSERT INTO meta (key, value) VALUES ('k', 'v')").run(), 200);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(MemoryError);
    expect(failure).toMatchObject({ code: 'busy', exit: 'taskFailed' });
    expect((failure as Error).message).toMatch(/memory\.db stayed locked by another process.*nothing was written/);
    expect(writer.prepare("SELECT count(*) FROM meta WHERE key = 'k'").pluck().get()).toBe(0);
  });
});
