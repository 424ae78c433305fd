import type Database from 'better-sqlite3';
import { writeTransaction } from './write-transaction.js';
import { closeEntry } from './admission.js';
import { addHistory, type EntryRow } from './rows.js';
import type { SourceRef } from './schema.js';

/** Failures, and their share, at which an entry stops being injected and then leaves for good. */
export const QUARANTINE_AT = { failures: 3, failureShare: 2 / 3 };
export const ARCHIVE_AT = { failures: 6, failureShare: 3 / 4 };

const failing = (row: { successes: number; failures: number }, rule: { failures: number; failureShare: number }) =>
  row.failures >= rule.failures && row.failures / (row.failures + row.successes) >= rule.failureShare;

/** Notes that a task was shown these entries; its verification later decides whether they helped. */
export function recordUse(db: Database.Database, ids: readonly string[], source: SourceRef, at: number): void {
  const insert = db.prepare('INSERT OR IGNORE INTO uses (run_id, task_id, entry_id, at) SELECT ?, ?, id, ? FROM entries WHERE id = ?');
  const count = db.prepare('UPDATE entries SET uses = uses + 1, last_used_at = ? WHERE id = ?');
  writeTransaction(db, () => {
    for (const id of new Set(ids)) {
      if (insert.run(source.runId, source.taskId, at, id).changes > 0) count.run(at, id);
    }
  });
}

export interface FeedbackResult {
  updated: string[];
  quarantined: string[];
  archived: string[];
  restored: string[];
}

/**
 * Settles every use a task made: a verified pass raises the entries' successes, a failure their
 * failures. Directives are the person's orders, so a failing task never quarantines one.
 */
export function settleFeedback(db: Database.Database, input: SourceRef & { passed: boolean }, at: number): FeedbackResult {
  const result: FeedbackResult = { updated: [], quarantined: [], archived: [], restored: [] };
  writeTransaction(db, () => {
    const ids = db
      .prepare('SELECT entry_id FROM uses WHERE run_id = ? AND task_id = ? AND outcome IS NULL')
      .pluck()
      .all(input.runId, input.taskId) as string[];
    db.prepare('UPDATE uses SET outcome = ? WHERE run_id = ? AND task_id = ? AND outcome IS NULL').run(
      input.passed ? 'passed' : 'failed',
      input.runId,
      input.taskId,
    );
    const column = input.passed ? 'successes' : 'failures';
    for (const id of ids) {
      db.prepare(`UPDATE entries SET ${column} = ${column} + 1, updated_at = ? WHERE id = ?`).run(at, id);
      result.updated.push(id);
      const row = db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as EntryRow;
      if (row.kind === 'directive') continue;
      if (row.status === 'quarantined' && failing(row, ARCHIVE_AT)) {
        closeEntry(db, id, at, 'archived', `archived after ${row.failures} failed uses out of ${row.failures + row.successes}`);
        result.archived.push(id);
      } else if (row.status === 'active' && failing(row, QUARANTINE_AT)) {
        db.prepare("UPDATE entries SET status = 'quarantined' WHERE id = ?").run(id);
        addHistory(db, id, at, 'quarantined', `${row.failures} of ${row.failures + row.successes} verified uses failed`);
        result.quarantined.push(id);
      } else if (row.status === 'quarantined' && !failing(row, QUARANTINE_AT)) {
        db.prepare("UPDATE entries SET status = 'active' WHERE id = ?").run(id);
        addHistory(db, id, at, 'restored', 'verified uses pass again');
        result.restored.push(id);
      }
    }
  });
  return result;
}
