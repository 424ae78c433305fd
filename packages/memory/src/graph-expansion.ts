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
}

export const DEFAULT_EXPANSION: ExpansionLimits = { hops: 2, decay: 0.8, rowBudget: 400, subjectFanout: 2 };

export interface Reached {
  /** The best seed score times the decay of the path: what the neighbour inherits. */
  weight: number;
  hops: number;
}

export function expandFromSeeds(db: Database.Database, seeds: ReadonlyMap<string, number>, limits: ExpansionLimits = DEFAULT_EXPANSION): Map<string, Reached> {
  const reached = new Map<string, Reached>();
  const neighbours = statement(
    db,
    `SELECT to_id AS id FROM relations WHERE from_id = @id AND type IN ('follows', 'fixed_by', 'caused_by')
     UNION ALL SELECT from_id FROM relations WHERE to_id = @id AND type IN ('follows', 'fixed_by', 'caused_by', 'supersedes')
     LIMIT @limit`,
  ).pluck();
  const subjects = statement(db, "SELECT to_id FROM relations WHERE from_id = ? AND type = 'about' LIMIT 32").pluck();
  const sharing = statement(db, "SELECT from_id FROM relations WHERE to_id = ? AND type = 'about' LIMIT ?").pluck();
  let budget = limits.rowBudget;
  let frontier = new Map(seeds);
  for (let hop = 1; hop <= limits.hops && budget > 0; hop++) {
    const next = new Map<string, number>();
    const visit = (id: string, weight: number) => {
      if (seeds.has(id)) return;
      const known = reached.get(id);
      if (known && known.weight >= weight) return;
      reached.set(id, { weight, hops: hop });
      next.set(id, weight);
    };
    for (const [id, score] of [...frontier].sort((a, b) => b[1] - a[1])) {
      if (budget <= 0) break;
      const weight = score * limits.decay;
      const direct = neighbours.all({ id, limit: Math.min(budget, 16) }) as string[];
      budget -= direct.length + 1;
      for (const other of direct) visit(other, weight);
      for (const subject of subjects.all(id) as string[]) {
        if (budget <= 0) break;
        const holders = sharing.all(subject, limits.subjectFanout + 1) as string[];
        budget -= holders.length + 1;
        if (holders.length > limits.subjectFanout) continue;
        for (const other of holders) if (other !== id) visit(other, weight);
      }
    }
    frontier = next;
  }
  return reached;
}
