import type Database from 'better-sqlite3';
import { MemoryError } from './errors.js';
import { retryWhileBusy } from './write-transaction.js';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The word index holds terms normalised in JS (see terms.ts) rather than raw text, so the store and
 * the query agree on stemming and identifier splitting; the trigram index holds raw text so any
 * fragment of a code identifier matches.
 */
const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'entries, anchors, tags, uses, history, fts',
    sql: `
      CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL DEFAULT 'repo',
        source_run TEXT,
        source_task TEXT,
        fingerprint TEXT NOT NULL,
        terms TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active',
        valid_from INTEGER NOT NULL,
        valid_to INTEGER,
        supersedes TEXT NOT NULL DEFAULT '[]',
        superseded_by TEXT,
        close_reason TEXT,
        uses INTEGER NOT NULL DEFAULT 0,
        successes INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        last_used_at INTEGER,
        needs_revalidation INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX entries_fingerprint ON entries(fingerprint);
      CREATE INDEX entries_status_kind ON entries(status, kind);
      CREATE TABLE anchors (
        entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        dir TEXT NOT NULL,
        blob_sha TEXT,
        PRIMARY KEY (entry_id, path)
      );
      CREATE INDEX anchors_path ON anchors(path);
      CREATE INDEX anchors_dir ON anchors(dir);
      CREATE TABLE entry_tags (
        entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (entry_id, tag)
      );
      CREATE INDEX entry_tags_tag ON entry_tags(tag);
      CREATE TABLE uses (
        run_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        entry_id TEXT NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        outcome TEXT,
        PRIMARY KEY (run_id, task_id, entry_id)
      );
      CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX history_entry ON history(entry_id);
      CREATE TABLE runs (run_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at INTEGER NOT NULL);

      CREATE VIRTUAL TABLE entries_words USING fts5(
        terms, content='entries', content_rowid='seq', tokenize='unicode61', detail='none'
      );
      CREATE VIRTUAL TABLE entries_trigram USING fts5(
        title, body, content='entries', content_rowid='seq', tokenize='trigram'
      );
      CREATE VIRTUAL TABLE entries_vocab USING fts5vocab(entries_words, 'row');
      CREATE TRIGGER entries_ai AFTER INSERT ON entries BEGIN
        INSERT INTO entries_words(rowid, terms) VALUES (new.seq, new.terms);
        INSERT INTO entries_trigram(rowid, title, body) VALUES (new.seq, new.title, new.body);
      END;
      CREATE TRIGGER entries_ad AFTER DELETE ON entries BEGIN
        INSERT INTO entries_words(entries_words, rowid, terms) VALUES ('delete', old.seq, old.terms);
        INSERT INTO entries_trigram(entries_trigram, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
      END;
      CREATE TRIGGER entries_au AFTER UPDATE OF title, body, terms ON entries BEGIN
        INSERT INTO entries_words(entries_words, rowid, terms) VALUES ('delete', old.seq, old.terms);
        INSERT INTO entries_trigram(entries_trigram, rowid, title, body) VALUES ('delete', old.seq, old.title, old.body);
        INSERT INTO entries_words(rowid, terms) VALUES (new.seq, new.terms);
        INSERT INTO entries_trigram(rowid, title, body) VALUES (new.seq, new.title, new.body);
      END;
    `,
  },
  {
    version: 2,
    name: 'relations between entries and subjects, event times',
    // A relation points from an entry to another entry, or (for `about`) to a subject key such as
    // `file:src/a.ts`: two entries about one file meet at the subject, without a row per pair.
    sql: `
      CREATE TABLE relations (
        from_id TEXT NOT NULL,
        type TEXT NOT NULL,
        to_id TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        PRIMARY KEY (from_id, type, to_id)
      ) WITHOUT ROWID;
      CREATE INDEX relations_to ON relations(to_id, type);
      CREATE TRIGGER entries_relations_ad AFTER DELETE ON entries BEGIN
        DELETE FROM relations WHERE from_id = old.id OR to_id = old.id;
      END;
      ALTER TABLE entries ADD COLUMN event_from INTEGER;
      ALTER TABLE entries ADD COLUMN event_to INTEGER;
      CREATE INDEX entries_source ON entries(source_run, source_task, seq);
    `,
  },
  {
    version: 3,
    name: 'document frequency per word',
    // fts5vocab counts a word's documents by decoding its whole doclist (about 60 µs a word at 100k
    // entries, a millisecond for a common one), and a search asks for a few dozen words. A plain
    // table kept by the same events as the index answers in microseconds. Terms are [a-z0-9]+
    // (terms.ts), so the space-separated column reads as a JSON array once quoted.
    sql: `
      CREATE TABLE term_docs (term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO term_docs (term, docs) SELECT term, doc FROM entries_vocab;
      CREATE TRIGGER entries_term_docs_ai AFTER INSERT ON entries BEGIN
        INSERT INTO term_docs (term, docs) SELECT DISTINCT value, 1 FROM json_each('["' || replace(new.terms, ' ', '","') || '"]') WHERE value <> ''
          ON CONFLICT (term) DO UPDATE SET docs = docs + 1;
      END;
      CREATE TRIGGER entries_term_docs_ad AFTER DELETE ON entries BEGIN
        UPDATE term_docs SET docs = docs - 1 WHERE term IN (SELECT value FROM json_each('["' || replace(old.terms, ' ', '","') || '"]'));
      END;
      CREATE TRIGGER entries_term_docs_au AFTER UPDATE OF terms ON entries WHEN old.terms IS NOT new.terms BEGIN
        UPDATE term_docs SET docs = docs - 1 WHERE term IN (SELECT value FROM json_each('["' || replace(old.terms, ' ', '","') || '"]'));
        INSERT INTO term_docs (term, docs) SELECT DISTINCT value, 1 FROM json_each('["' || replace(new.terms, ' ', '","') || '"]') WHERE value <> ''
          ON CONFLICT (term) DO UPDATE SET docs = docs + 1;
      END;
    `,
  },
  {
    version: 4,
    name: 'indexed words per entry',
    // BM25 normalises by the mean length of the newest entries. Counting it from their term strings
    // moved 500 strings (a millisecond) per cold search; this narrow table, kept by the same events
    // as the index, holds those 500 counts in a few pages. A word count is its spaces plus one.
    sql: `
      CREATE TABLE entry_lengths (seq INTEGER PRIMARY KEY, words INTEGER NOT NULL);
      INSERT INTO entry_lengths (seq, words) SELECT seq, length(terms) - length(replace(terms, ' ', '')) + 1 FROM entries;
      CREATE TRIGGER entries_lengths_ai AFTER INSERT ON entries BEGIN
        INSERT INTO entry_lengths (seq, words) VALUES (new.seq, length(new.terms) - length(replace(new.terms, ' ', '')) + 1);
      END;
      CREATE TRIGGER entries_lengths_ad AFTER DELETE ON entries BEGIN
        DELETE FROM entry_lengths WHERE seq = old.seq;
      END;
      CREATE TRIGGER entries_lengths_au AFTER UPDATE OF terms ON entries WHEN old.terms IS NOT new.terms BEGIN
        UPDATE entry_lengths SET words = length(new.terms) - length(replace(new.terms, ' ', '')) + 1 WHERE seq = new.seq;
      END;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the schema up to date in one immediate transaction, so two coordinators never migrate at once. */
export function migrate(db: Database.Database, file: string): void {
  const run = db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
    const current = row.v ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new MemoryError(
        'unsupported_schema',
        `${file} has memory schema version ${current}, newer than this coordinate understands (${SCHEMA_VERSION}); upgrade coordinate`,
        { file, version: current },
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
    }
  });
  retryWhileBusy(db, () => run.immediate());
}

export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null } | undefined;
  return row?.v ?? 0;
}
