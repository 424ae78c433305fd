import type Database from 'better-sqlite3';
import { writeTransaction } from './write-transaction.js';
import type { BlobHasher } from './blob-sha.js';
import { addHistory } from './rows.js';

export interface RevalidateResult {
  checked: number;
  /** Entries whose anchored code changed (or vanished) since they were learned. */
  changed: string[];
  /** Entries flagged before whose code is back to the version they were learned at. */
  confirmed: string[];
}

/** Compares every live entry's anchors with the files as they are now and flags the ones that moved. */
export function revalidate(db: Database.Database, hasher: BlobHasher, at: number): RevalidateResult {
  const rows = db
    .prepare(
      `SELECT a.entry_id, a.path, a.blob_sha, e.needs_revalidation FROM anchors a JOIN entries e ON e.id = a.entry_id
       WHERE e.status IN ('active', 'quarantined') AND a.blob_sha IS NOT NULL`,
    )
    .all() as { entry_id: string; path: string; blob_sha: string; needs_revalidation: number }[];
  const byEntry = new Map<string, { flagged: boolean; moved: string[] }>();
  for (const row of rows) {
    const state = byEntry.get(row.entry_id) ?? { flagged: row.needs_revalidation === 1, moved: [] };
    const now = hasher.shaOf(row.path);
    if (now !== row.blob_sha) state.moved.push(now === undefined ? `${row.path} (gone)` : row.path);
    byEntry.set(row.entry_id, state);
  }
  const result: RevalidateResult = { checked: byEntry.size, changed: [], confirmed: [] };
  writeTransaction(db, () => {
    const flag = db.prepare('UPDATE entries SET needs_revalidation = ?, updated_at = ? WHERE id = ?');
    for (const [id, state] of byEntry) {
      if (state.moved.length > 0 && !state.flagged) {
        flag.run(1, at, id);
        addHistory(db, id, at, 'needs_revalidation', `anchored code changed: ${state.moved.join(', ')}`);
        result.changed.push(id);
      } else if (state.moved.length === 0 && state.flagged) {
        flag.run(0, at, id);
        addHistory(db, id, at, 'revalidated', 'anchored code matches again');
        result.confirmed.push(id);
      }
    }
  });
  return result;
}
