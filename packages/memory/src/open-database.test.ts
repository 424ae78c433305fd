import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MemoryError, openMemory, SCHEMA_VERSION } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

function expectCorrupt(file: string) {
  const before = readFileSync(file);
  let error: unknown;
  try {
    openMemory(file).close();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(MemoryError);
  expect((error as MemoryError).code).toBe('corrupt_database');
  expect((error as MemoryError).message).toContain(file);
  expect((error as MemoryError).message).toMatch(/left untouched/);
  expect(readFileSync(file).equals(before)).toBe(true);
}

describe('opening the database', () => {
  it('creates a WAL database at the current schema version', () => {
    const file = join(memory.dir(), 'memory.db');
    memory.open(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a file that is not a database, naming it, and leaves it as it was', () => {
    const file = join(memory.dir(), 'memory.db');
    writeFileSync(file, 'this is not sqlite at all, just some text that happens to be here\n'.repeat(100));
    expectCorrupt(file);
  });

  it('refuses a database whose pages are damaged, and leaves it as it was', () => {
    const file = join(memory.dir(), 'memory.db');
    const store = openMemory(file);
    for (let i = 0; i < 200; i++) store.admit({ kind: 'fact', text: `Service ${i} owns queue number ${i} and topic t${i}.` });
    store.close();
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 100, bytes.length);
    writeFileSync(file, bytes);
    expectCorrupt(file);
  });

  it('refuses an SQLite file that belongs to something else', () => {
    const file = join(memory.dir(), 'memory.db');
    const other = new Database(file);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    other.close();
    expectCorrupt(file);
  });

  it('opens read-only without creating a file, and says when there is none', () => {
    const file = join(memory.dir(), 'memory.db');
    expect(() => openMemory(file, { readonly: true })).toThrow(expect.objectContaining({ code: 'no_memory' }));
  });
});
