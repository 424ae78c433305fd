import type Database from 'better-sqlite3';
import type { Relation, RelationType } from './schema.js';
import { statement } from './statements.js';

export type { Relation, RelationType };

/**
 * Typed links between entries, kept as rows so retrieval can follow them and `memory show` can
 * list them. `about` points at a subject key (see extraction.ts), every other type at an entry.
 * - `supersedes`: the newer entry replaced the older one (same subject, the claim changed)
 * - `contradicts`: opposing directives on one scope, both held until a person decides
 * - `follows`: the next entry from the same source, in time order
 * - `fixed_by`: a pitfall → the entry about the change that fixed it; `caused_by`: a pitfall → what caused it
 */
export function addRelation(db: Database.Database, from: string, type: RelationType, to: string, at: number, detail = ''): void {
  statement(db, 'INSERT OR IGNORE INTO relations (from_id, type, to_id, detail, created_at) VALUES (?, ?, ?, ?, ?)').run(from, type, to, detail.slice(0, 1000), at);
}

const SELECT = 'SELECT from_id AS "from", type, to_id AS "to", detail, created_at AS at FROM relations';

/** Every relation that starts or ends at `id`, oldest first. */
export function relationsOf(db: Database.Database, id: string): Relation[] {
  return statement(db, `${SELECT} WHERE from_id = ? UNION ${SELECT} WHERE to_id = ? ORDER BY at, type`).all(id, id) as Relation[];
}

export function allRelations(db: Database.Database): Relation[] {
  return db.prepare(`${SELECT} ORDER BY at, from_id`).all() as Relation[];
}

/**
 * Pairs of live entries that contradict each other and wait for a person: newer first. A task's
 * proposed directive counts, so the person sees what it opposes before accepting it.
 */
export function openConflicts(db: Database.Database): Relation[] {
  return db
    .prepare(
      `SELECT r.from_id AS "from", r.type, r.to_id AS "to", r.detail, r.created_at AS at FROM relations r
       JOIN entries a ON a.id = r.from_id JOIN entries b ON b.id = r.to_id
       WHERE r.type = 'contradicts' AND a.status IN ('active', 'proposed') AND b.status IN ('active', 'proposed') ORDER BY r.created_at`,
    )
    .all() as Relation[];
}

/** Which of `ids` are `about` at least one of `subjects`: one indexed read for all of them. */
export function entriesAbout(db: Database.Database, ids: readonly string[], subjects: readonly string[]): Set<string> {
  if (ids.length === 0 || subjects.length === 0) return new Set();
  const rows = statement(
    db,
    `SELECT DISTINCT from_id FROM relations WHERE type = 'about' AND to_id IN (${subjects.map(() => '?').join(',')}) AND from_id IN (${ids.map(() => '?').join(',')})`,
  )
    .pluck()
    .all(...subjects, ...ids) as string[];
  return new Set(rows);
}
