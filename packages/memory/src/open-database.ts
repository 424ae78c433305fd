import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { MemoryError } from './errors.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations.js';
import { retryWhileBusy } from './write-transaction.js';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
const BUSY_TIMEOUT_MS = 10_000;

function corrupt(file: string, cause?: unknown): MemoryError {
  return new MemoryError(
    'corrupt_database',
    `${file} is not a readable memory database; it was left untouched. Move it aside (or restore it from a backup or \`coordinate memory export\`) and run again to start a new one`,
    { file },
    { cause },
  );
}

/** Refuses anything that is not an SQLite file before SQLite gets a chance to write to it. */
function checkHeader(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return;
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw corrupt(file);
}

const isCorruption = (error: unknown) =>
  typeof error === 'object' && error !== null && /^SQLITE_(CORRUPT|NOTADB)/.test(String((error as { code?: unknown }).code));

export function openDatabase(file: string, options: { readonly?: boolean } = {}): Database.Database {
  if (options.readonly && !existsSync(file)) {
    throw new MemoryError('no_memory', `there is no team memory at ${file} yet; add an entry with \`coordinate memory add\``, { file });
  }
  checkHeader(file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    if (isCorruption(error)) throw corrupt(file, error);
    throw error;
  }
  try {
    // Reading the schema first: a damaged file fails here, before any pragma or migration writes.
    const tables = retryWhileBusy(db, () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    if (tables.length > 0 && !tables.includes('schema_migrations')) {
      throw new MemoryError('corrupt_database', `${file} is an SQLite database but not a coordinate memory; it was left untouched`, { file });
    }
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('foreign_keys = ON');
    if (options.readonly) {
      if (tables.length === 0) {
        throw new MemoryError('no_memory', `there is no team memory in ${file} yet; add an entry with \`coordinate memory add\``, { file });
      }
      const version = retryWhileBusy(db, () => schemaVersion(db));
      if (version > SCHEMA_VERSION) {
        throw new MemoryError('unsupported_schema', `${file} has memory schema version ${version}, newer than this coordinate understands (${SCHEMA_VERSION}); upgrade coordinate`, { file, version });
      }
    } else {
      // Changing the journal mode of a new file needs it to itself for a moment, and SQLite does not wait for that.
      retryWhileBusy(db, () => db.pragma('journal_mode = WAL'));
      db.pragma('synchronous = NORMAL');
      migrate(db, file);
    }
    return db;
  } catch (error) {
    db.close();
    if (isCorruption(error)) throw corrupt(file, error);
    throw error;
  }
}
