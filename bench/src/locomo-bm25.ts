import Database from 'better-sqlite3';

/**
 * The baseline the issue measures against: plain SQLite FTS5 with porter stemming, ranked by bm25,
 * the question's words OR'ed together. Nothing else: no floor, no relations, no time.
 */
export class Bm25Baseline {
  private readonly db = new Database(':memory:');
  private readonly search: Database.Statement;

  constructor() {
    this.db.exec("CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, text, tokenize='porter unicode61')");
    this.search = this.db.prepare('SELECT key FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?').pluck();
  }

  add(key: string, text: string): void {
    this.db.prepare('INSERT INTO docs (key, text) VALUES (?, ?)').run(key, text);
  }

  /** Keys of the best `limit` documents, best first. */
  query(question: string, limit: number): string[] {
    const words = question.match(/[\p{L}\p{N}]+/gu) ?? [];
    if (words.length === 0) return [];
    return this.search.all(words.map((word) => `"${word}"`).join(' OR '), limit) as string[];
  }

  close(): void {
    this.db.close();
  }
}
