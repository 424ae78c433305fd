import type Database from 'better-sqlite3';
import { statement } from './statements.js';

/**
 * Follows relations out from retrieval's first hits, so an answer that spans two entries finds
 * both: `follows` both ways (what came just before and after in the same source), `fixed_by` and
 * `caused_by` both ways, `supersedes` towards the newer entry, and `about` through subjects few
 * entries share (a subject every entry has links nothing).
 */
export interface ExpansionLimits {
  /** Hops from a seed, at most. */
  hops: number;
  /** Weight kept per hop: a neighbour one hop away counts `decay` of its seed, two hops `decay²`. */
  decay: number;
  /** Relation rows one expansion may read in all: the hard budget. */
  rowBudget: number;
  /** A subject held by more entries than this is too common to link through. */
  subjectFanout: number;
  /** The best entries of a hop that the next hop starts from, at most. */
  frontier: number;
}

export const DEFAULT_EXPANSION: ExpansionLimits = { hops: 2, decay: 0.8, rowBudget: 400, subjectFanout: 2, frontier: 8 };

export interface Reached {
  /** The best seed score times the decay of the path: what the neighbour inherits. */
  weight: number;
  hops: number;
}

/** Entry-to-entry links, read both ways for a whole frontier (a JSON array of ids) in one statement. */
const LINKED = `SELECT from_id AS source, to_id AS target FROM relations
   WHERE from_id IN (SELECT value FROM json_each(@ids)) AND type IN ('follows', 'fixed_by', 'caused_by')
 UNION ALL SELECT to_id, from_id FROM relations
   WHERE to_id IN (SELECT value FROM json_each(@ids)) AND type IN ('follows', 'fixed_by', 'caused_by', 'supersedes')
 LIMIT @limit`;
const SUBJECTS = "SELECT from_id AS source, to_id AS subject FROM relations WHERE from_id IN (SELECT value FROM json_each(@ids)) AND type = 'about' LIMIT @limit";
/** The holders of those subjects few entries share: a subject held by more than `@fanout` entries links nothing, and costs one indexed probe to tell. */
const HOLDERS = `SELECT to_id AS subject, from_id AS holder FROM relations
  WHERE type = 'about' AND to_id IN (
    SELECT s.value FROM json_each(@subjects) s
    WHERE NOT EXISTS (SELECT 1 FROM relations c WHERE c.to_id = s.value AND c.type = 'about' LIMIT 1 OFFSET @fanout))`;

/**
 * The entries `seeds` (id → score) reach within `limits.hops`, each with the best decayed weight
 * that reaches it; seeds themselves are left out. Each hop reads the best `limits.frontier` entries
 * of the last one in three statements, whatever their number, and stops when `limits.rowBudget`
 * relation rows are spent.
 */
export function expandFromSeeds(db: Database.Database, seeds: ReadonlyMap<string, number>, limits: ExpansionLimits = DEFAULT_EXPANSION): Map<string, Reached> {
  const reached = new Map<string, Reached>();
  const linked = statement(db, LINKED);
  const subjects = statement(db, SUBJECTS);
  const holders = statement(db, HOLDERS);
  let budget = limits.rowBudget;
  let frontier = new Map(seeds);
  for (let hop = 1; hop <= limits.hops && budget > 0 && frontier.size > 0; hop++) {
    const best = new Map([...frontier].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limits.frontier));
    const ids = JSON.stringify([...best.keys()]);
    const next = new Map<string, number>();
    const visit = (id: string, weight: number) => {
      if (seeds.has(id)) return;
      const known = reached.get(id);
      if (known && known.weight >= weight) return;
      reached.set(id, { weight, hops: hop });
      next.set(id, weight);
    };
    const direct = linked.all({ ids, limit: budget }) as { source: string; target: string }[];
    budget -= direct.length;
    for (const { source, target } of direct) visit(target, best.get(source)! * limits.decay);
    const held = budget <= 0 ? [] : (subjects.all({ ids, limit: budget }) as { source: string; subject: string }[]);
    budget -= held.length;
    const bySubject = new Map<string, number>();
    for (const { source, subject } of held) bySubject.set(subject, Math.max(bySubject.get(subject) ?? 0, best.get(source)!));
    const sharing = budget <= 0 || bySubject.size === 0 ? [] : (holders.all({ subjects: JSON.stringify([...bySubject.keys()]), fanout: limits.subjectFanout }) as { subject: string; holder: string }[]);
    budget -= sharing.length;
    for (const { subject, holder } of sharing) visit(holder, bySubject.get(subject)! * limits.decay);
    frontier = next;
  }
  return reached;
}
