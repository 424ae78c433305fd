import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

/** The frequencies the store keeps beside what the full-text index itself counts, each as sorted `term=docs` rows. */
function frequencies(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const kept = db.prepare('SELECT term, docs FROM term_docs WHERE docs > 0 ORDER BY term').all() as { term: string; docs: number }[];
    const indexed = db.prepare('SELECT term, doc AS docs FROM entries_vocab ORDER BY term').all() as { term: string; docs: number }[];
    return { kept: kept.map((r) => `${r.term}=${r.docs}`), indexed: indexed.map((r) => `${r.term}=${r.docs}`) };
  } finally {
    db.close();
  }
}

describe('the document frequency of each word', () => {
  it('agrees with the index after entries are added, rewritten and forgotten', () => {
    const file = join(memory.dir(), 'memory.db');
    const store = memory.open(file);
    const queue = store.admit({ kind: 'fact', text: 'The billing queue retries webhook deliveries five times.' });
    store.admit({ kind: 'fact', text: 'The billing queue is drained nightly by the reconciler job.' });
    store.admit({ kind: 'pitfall', text: 'Webhook signatures fail when the clock drifts, retries included.' });
    expect(frequencies(file).kept).toContain('bill=2');

    // A rewrite (as dream's merge does) moves the counts from the old words to the new ones.
    const writer = new Database(file);
    try {
      writer.prepare("UPDATE entries SET terms = 'invoice invoice ledger' WHERE id = ?").run(queue.id);
    } finally {
      writer.close();
    }
    expect(frequencies(file).kept).toEqual(expect.arrayContaining(['bill=1', 'invoice=1', 'ledger=1']));

    store.forget(queue.id);
    const { kept, indexed } = frequencies(file);
    expect(kept).toEqual(indexed);
    expect(kept).not.toContain('invoice=1');
  });
});

describe('the number of indexed words of each entry', () => {
  it('agrees with the entries after they are added, rewritten and forgotten', () => {
    const file = join(memory.dir(), 'memory.db');
    const store = memory.open(file);
    const counted = () => {
      const db = new Database(file, { readonly: true });
      try {
        const kept = db.prepare('SELECT seq, words FROM entry_lengths ORDER BY seq').all();
        const terms = db.prepare('SELECT seq, terms FROM entries ORDER BY seq').all() as { seq: number; terms: string }[];
        return { kept, actual: terms.map((row) => ({ seq: row.seq, words: row.terms.split(' ').length })) };
      } finally {
        db.close();
      }
    };
    const queue = store.admit({ kind: 'fact', text: 'The billing queue retries webhook deliveries five times.' });
    store.admit({ kind: 'pitfall', text: 'Webhook signatures fail when the clock drifts.' });
    expect(counted().kept).toEqual(counted().actual);
    expect(counted().kept).toHaveLength(2);

    const writer = new Database(file);
    try {
      writer.prepare("UPDATE entries SET terms = 'invoice ledger' WHERE id = ?").run(queue.id);
    } finally {
      writer.close();
    }
    expect(counted().kept).toEqual(counted().actual);
    expect(counted().kept).toContainEqual(expect.objectContaining({ words: 2 }));

    store.forget(queue.id);
    expect(counted().kept).toEqual(counted().actual);
    expect(counted().kept).toHaveLength(1);
  });
});
