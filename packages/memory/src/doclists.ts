import type Database from 'better-sqlite3';

/** The FTS5 query for one term, quoted so no term reads as an operator. */
export const quoted = (term: string): string => `"${term.replace(/"/g, '""')}"`;

/** Doclist rows kept in memory at most: about 8 MB of rowids, the lists of a few hundred common words. */
const CACHE_ROWS = 1_000_000;

interface CachedList {
  rows: Float64Array;
  /** The limit the rows were read with: a list shorter than it is the whole doclist. */
  limit: number;
}

/**
 * Merges the word index's segments into one (FTS5 `optimize`). Each write transaction adds a
 * segment and FTS5 merges them only a few at a time, so a term's doclist lies in pieces; read from
 * one segment it is about a third faster. Costs about 100 ms at 100k entries.
 */
export function mergeWordIndex(db: Database.Database): void {
  db.prepare("INSERT INTO entries_words (entries_words) VALUES ('optimize')").run();
}

/**
 * Reads the word index as doclists and scores documents by the weight of the terms they hold.
 * FTS5's own bm25 ordering decodes every matching document's size, which costs milliseconds once a
 * word is common; plain doclists and AND intersections stay well under one.
 *
 * Lists read are kept until `invalidate` (the owner calls it whenever the store changes): a
 * coordinator searches for many task prompts in one run, and their words recur. Decoding a doclist
 * is most of a search's time at 100k entries.
 */
export class Doclists {
  private cache = new Map<string, CachedList>();
  private cachedRows = 0;
  private readonly byTerm: Database.Statement;
  private scratch = new Float64Array(1024);
  private touched = new Float64Array(1024);
  private readonly newestByTerm: Database.Statement;
  private readonly vocab: Database.Statement;

  constructor(db: Database.Database) {
    // One string per list instead of one row per document: a row crossing into JavaScript costs twice what decoding it does.
    this.byTerm = db.prepare('SELECT group_concat(rowid) FROM (SELECT rowid FROM entries_words WHERE entries_words MATCH ? LIMIT ?)').pluck();
    this.newestByTerm = db.prepare('SELECT rowid FROM entries_words WHERE entries_words MATCH ? ORDER BY rowid DESC LIMIT ?').pluck();
    this.vocab = db.prepare('SELECT docs FROM term_docs WHERE term = ?').pluck();
  }

  docFrequency(term: string): number {
    return (this.vocab.get(term) as number | undefined) ?? 0;
  }

  /** Forgets every list read: call it after any change to the store, by this connection or another. */
  invalidate(): void {
    this.cache = new Map();
    this.cachedRows = 0;
  }

  docs(term: string, limit: number): Float64Array {
    return this.cached(`=${term}`, limit, () => parseRowids(this.byTerm.get(quoted(term), limit) as string | null));
  }

  /** Newest first: superseded versions stay indexed, and the live one is the latest written. */
  docsWithAll(terms: readonly string[], limit: number): number[] {
    if (terms.length === 0) return [];
    const match = terms.map(quoted).join(' AND ');
    return [...this.cached(`&${match}`, limit, () => Float64Array.from(this.newestByTerm.all(match, limit) as number[]))];
  }

  /** The first `limit` rows of a list, read once: a list read with a larger limit (or read whole) answers a smaller one. */
  private cached(key: string, limit: number, read: () => Float64Array): Float64Array {
    const hit = this.cache.get(key);
    if (hit && (hit.limit >= limit || hit.rows.length < hit.limit)) return hit.rows.length > limit ? hit.rows.subarray(0, limit) : hit.rows;
    const rows = read();
    if (hit) this.cachedRows -= hit.rows.length;
    this.cache.delete(key);
    this.cache.set(key, { rows, limit });
    this.cachedRows += rows.length;
    // Oldest first out: Map iterates in insertion order.
    for (const [old, list] of this.cache) {
      if (this.cachedRows <= CACHE_ROWS || old === key) break;
      this.cache.delete(old);
      this.cachedRows -= list.rows.length;
    }
    return rows;
  }

  /**
   * Sums each document's weight over the terms' doclists and returns the best `limit` rowids. Terms
   * are read rarest first and reading stops once `rowBudget` rows are spent: common words cost the
   * most and tell the least, and the caller still scores candidates on every word.
   */
  weighted(terms: readonly { term: string; weight: number; df: number }[], limit: number, rowBudget: number): { rowid: number; weight: number }[] {
    const lists: Float64Array[] = [];
    let spent = 0;
    let maxRowid = 0;
    for (const { term, df } of [...terms].sort((a, b) => a.df - b.df)) {
      if (spent > 0 && spent + df > rowBudget) break;
      const rows = this.docs(term, rowBudget);
      lists.push(rows);
      spent += rows.length;
      for (let i = 0; i < rows.length; i++) if (rows[i]! > maxRowid) maxRowid = rows[i]!;
    }
    // Reused arrays instead of a Map and a list per search: no hashing, and nothing for the collector.
    if (this.scratch.length <= maxRowid) this.scratch = new Float64Array(Math.max(maxRowid + 1, this.scratch.length * 2));
    if (this.touched.length < spent) this.touched = new Float64Array(Math.max(spent, this.touched.length * 2));
    const sorted = [...terms].sort((a, b) => a.df - b.df);
    const scratch = this.scratch;
    const touchedRows = this.touched;
    let touched = 0;
    for (let list = 0; list < lists.length; list++) {
      const rows = lists[list]!;
      const weight = sorted[list]!.weight;
      // Plain indexed loops over typed arrays, indexes as small integers: this loop runs for every row read.
      for (let i = 0; i < rows.length; i++) {
        const rowid = rows[i]! | 0;
        if (scratch[rowid] === 0) touchedRows[touched++] = rowid;
        scratch[rowid]! += weight;
      }
    }
    const candidates = this.touched.subarray(0, touched);
    const best = topK(candidates, this.scratch, limit);
    for (let i = 0; i < touched; i++) scratch[touchedRows[i]!] = 0;
    return best;
  }
}

/**
 * The rowids of a comma-separated list as `group_concat` writes them; `null` (no rows) is none.
 * Counted first so the list is one exact-sized typed array, kept off the collected heap.
 */
function parseRowids(list: string | null): Float64Array {
  if (list === null) return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < list.length; i++) if (list.charCodeAt(i) === 44) count++;
  const rowids = new Float64Array(count);
  let n = 0;
  let rowid = 0;
  for (let i = 0; i < list.length; i++) {
    const digit = list.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) rowid = rowid * 10 + digit;
    else {
      rowids[n++] = rowid;
      rowid = 0;
    }
  }
  rowids[n] = rowid;
  return rowids;
}

/** The `k` heaviest documents (newest first among equals) without sorting all of them. */
function topK(rowids: Float64Array, weights: Float64Array, k: number): { rowid: number; weight: number }[] {
  const best: { rowid: number; weight: number }[] = [];
  const before = (a: { rowid: number; weight: number }, b: { rowid: number; weight: number }) =>
    a.weight > b.weight || (a.weight === b.weight && a.rowid > b.rowid);
  for (const rowid of rowids) {
    const weight = weights[rowid]!;
    if (best.length === k && (weight < best[k - 1]!.weight || (weight === best[k - 1]!.weight && rowid < best[k - 1]!.rowid))) continue;
    const item = { rowid, weight };
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(best[mid]!, item)) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best;
}
