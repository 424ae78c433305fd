import type Database from 'better-sqlite3';
import { writeTransaction } from './write-transaction.js';
import { closeEntry } from './admission.js';
import { isPersonsDirective } from './directive-authority.js';
import { mergeWordIndex, type Doclists } from './doclists.js';
import { quality } from './ranking.js';
import { addHistory, joinTags, setAnchors, setTags, splitTags, type EntryRow } from './rows.js';
import type { Anchor, MemoryEntry } from './schema.js';
import { relate, similarEntries } from './similar.js';
import { uniqueTerms } from './terms.js';

/** Optional model help: rewrite a group of duplicates as one entry, and judge a contradiction. */
export interface DreamModel {
  summarize?: (entries: readonly { title: string; body: string }[]) => Promise<{ title: string; body: string }>;
  judge?: (older: MemoryEntry, newer: MemoryEntry) => Promise<'older' | 'newer' | 'both'>;
}

export interface DreamOptions extends DreamModel {
  dryRun?: boolean;
  /** Entries flagged for revalidation this long ago, and never confirmed since, are archived. */
  staleAfterDays?: number;
}

export type DreamChange =
  | { action: 'merge'; keep: string; merged: string[]; reason: string; title?: string; body?: string }
  | { action: 'supersede'; keep: string; closed: string; reason: string }
  | { action: 'archive'; id: string; reason: string };

const DAY_MS = 86_400_000;
const isVerified = (row: EntryRow) => row.successes > 0;

class Groups {
  private readonly parent = new Map<string, string>();
  find(id: string): string {
    const up = this.parent.get(id);
    if (up === undefined || up === id) return id;
    const root = this.find(up);
    this.parent.set(id, root);
    return root;
  }
  join(a: string, b: string): void {
    const [ra, rb] = [this.find(a), this.find(b)];
    if (ra !== rb) this.parent.set(rb, ra);
  }
  members(ids: Iterable<string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const id of ids) {
      const root = this.find(id);
      out.set(root, [...(out.get(root) ?? []), id]);
    }
    return out;
  }
}

/** The latest verified statement wins; between equals, the newer one. */
function winner(a: EntryRow, b: EntryRow): [EntryRow, EntryRow] {
  if (isVerified(a) !== isVerified(b)) return isVerified(a) ? [a, b] : [b, a];
  return a.valid_from >= b.valid_from ? [a, b] : [b, a];
}

/**
 * Works out what consolidation would change, without changing anything: duplicate groups to merge,
 * contradictions to settle, stale and failing entries to archive.
 */
export async function planDream(
  db: Database.Database,
  doclists: Doclists,
  now: number,
  toEntry: (row: EntryRow) => MemoryEntry,
  options: DreamOptions,
): Promise<DreamChange[]> {
  const rows = db.prepare("SELECT * FROM entries WHERE status IN ('active', 'quarantined') ORDER BY seq").all() as EntryRow[];
  const byId = new Map(rows.map((row) => [row.id, row]));
  const groups = new Groups();
  const contradictions: { older: EntryRow; newer: EntryRow; reason: string }[] = [];
  const closed = new Set<string>();
  for (const row of rows) {
    for (const other of similarEntries(db, doclists, row.body, (term) => doclists.docFrequency(term), 8)) {
      if (other.seq <= row.seq || other.kind !== row.kind) continue;
      const [older, newer] = other.valid_from < row.valid_from ? [other, row] : [row, other];
      const relation = relate({ text: older.body }, { text: newer.body });
      if (relation.kind === 'duplicate') groups.join(row.id, other.id);
      if (relation.kind === 'contradiction') contradictions.push({ older, newer, reason: relation.reason });
    }
  }

  const changes: DreamChange[] = [];
  for (const { older, newer, reason } of contradictions) {
    if (closed.has(older.id) || closed.has(newer.id)) continue;
    let [keep, lose] = winner(older, newer);
    if (options.judge) {
      const verdict = await options.judge(toEntry(older), toEntry(newer));
      if (verdict === 'both') continue;
      [keep, lose] = verdict === 'older' ? [older, newer] : [newer, older];
    }
    // Consolidation is not a person: it never closes a person's directive in favour of a task's entry.
    if (isPersonsDirective(lose) && !isPersonsDirective(keep)) continue;
    closed.add(lose.id);
    changes.push({ action: 'supersede', keep: keep.id, closed: lose.id, reason: `contradicts ${keep.id}: ${reason}` });
  }

  for (const members of groups.members(rows.map((row) => row.id)).values()) {
    const alive = members.filter((id) => !closed.has(id)).map((id) => byId.get(id)!);
    if (alive.length < 2) continue;
    // A person's directive keeps its place and its words: the group merges into it, unrewritten.
    alive.sort((a, b) => Number(isPersonsDirective(b)) - Number(isPersonsDirective(a)) || b.successes - a.successes || a.valid_from - b.valid_from);
    const [keep, ...rest] = alive as [EntryRow, ...EntryRow[]];
    const change: DreamChange = { action: 'merge', keep: keep.id, merged: rest.map((r) => r.id), reason: 'near duplicates' };
    if (options.summarize && !isPersonsDirective(keep)) {
      const rewritten = await options.summarize(alive.map((r) => ({ title: r.title, body: r.body })));
      if (rewritten.title.trim() && rewritten.body.trim()) Object.assign(change, { title: rewritten.title.trim(), body: rewritten.body.trim() });
    }
    for (const id of change.merged) closed.add(id);
    changes.push(change);
  }

  const staleMs = (options.staleAfterDays ?? 30) * DAY_MS;
  for (const row of rows) {
    if (closed.has(row.id) || row.kind === 'directive') continue;
    if (row.failures >= 3 && quality(row.successes, row.failures) < 0.2) {
      changes.push({ action: 'archive', id: row.id, reason: `low quality: ${row.failures} of ${row.successes + row.failures} verified uses failed` });
    } else if (row.needs_revalidation === 1 && now - row.updated_at >= staleMs) {
      changes.push({ action: 'archive', id: row.id, reason: `stale: its anchored code changed over ${options.staleAfterDays ?? 30} days ago and nobody confirmed it` });
    }
  }
  return changes;
}

function anchorsOfRow(db: Database.Database, id: string): Anchor[] {
  return (db.prepare('SELECT path, blob_sha FROM anchors WHERE entry_id = ?').all(id) as { path: string; blob_sha: string | null }[]).map((a) =>
    a.blob_sha ? { path: a.path, blobSha: a.blob_sha } : { path: a.path },
  );
}

/** Applies a plan in one immediate transaction; nothing is deleted, the losers are closed with a reason. */
export function applyDream(db: Database.Database, now: number, changes: readonly DreamChange[]): void {
  writeTransaction(db, () => {
    for (const change of changes) {
      if (change.action === 'archive') closeEntry(db, change.id, now, 'archived', change.reason);
      if (change.action === 'supersede') closeEntry(db, change.closed, now, 'superseded', change.reason, change.keep);
      if (change.action !== 'merge') continue;
      const keep = db.prepare('SELECT * FROM entries WHERE id = ?').get(change.keep) as EntryRow;
      const rest = change.merged.map((id) => db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as EntryRow);
      const tags = joinTags([keep, ...rest].flatMap((row) => splitTags(row.tags)));
      const title = change.title ?? keep.title;
      const body = change.body ?? keep.body;
      db.prepare(
        `UPDATE entries SET title = ?, body = ?, terms = ?, tags = ?, uses = ?, successes = ?, failures = ?, version = version + 1, updated_at = ?,
         supersedes = ? WHERE id = ?`,
      ).run(
        title, body, uniqueTerms(`${title} ${body} ${tags}`).join(' '), tags,
        keep.uses + rest.reduce((n, r) => n + r.uses, 0),
        keep.successes + rest.reduce((n, r) => n + r.successes, 0),
        keep.failures + rest.reduce((n, r) => n + r.failures, 0),
        now, JSON.stringify([...(JSON.parse(keep.supersedes) as string[]), ...change.merged]), keep.id,
      );
      setTags(db, keep.id, splitTags(tags));
      for (const row of rest) {
        setAnchors(db, keep.id, anchorsOfRow(db, row.id));
        closeEntry(db, row.id, now, 'superseded', `merged into ${keep.id}: ${change.reason}`, keep.id);
      }
      addHistory(db, keep.id, now, 'merged', `absorbed ${change.merged.join(', ')} (${change.reason})`);
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('last_dream_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(String(now));
    // Consolidation is the quiet moment to defragment the index the searches read.
    mergeWordIndex(db);
  });
}
