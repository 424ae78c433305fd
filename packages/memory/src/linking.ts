import type Database from 'better-sqlite3';
import type { MemoryKind } from '@coordinate/protocol';
import { addRelation } from './relations.js';
import { statement } from './statements.js';
import type { SourceRef } from './schema.js';

const FIX_WORDS = /\b(fix(?:ed|es)?|resolv(?:ed|es)|patch(?:ed|es)?|repair(?:ed|s)?|work(?:s|ed)? around)\b/i;
const CAUSE_WORDS = /\b(caused by|because of|due to|since|after|introduced (?:by|in))\b/i;
/** Only code subjects tie a pitfall to its fix or cause: a shared person's name says little. */
const CODE_SUBJECT = /^(file|symbol|command):/;
const MOST_LINKS = 5;

export interface NewEntry {
  id: string;
  kind: MemoryKind;
  text: string;
  subjects: readonly string[];
  source?: SourceRef;
}

function sharingSubjects(db: Database.Database, subjects: readonly string[], kindClause: string, except: string): string[] {
  const code = subjects.filter((key) => CODE_SUBJECT.test(key));
  if (code.length === 0) return [];
  return statement(
    db,
    `SELECT r.from_id FROM relations r JOIN entries e ON e.id = r.from_id
       WHERE r.type = 'about' AND r.to_id IN (${code.map(() => '?').join(',')}) AND ${kindClause} AND e.status = 'active' AND r.from_id != ?
       GROUP BY r.from_id ORDER BY max(e.seq) DESC LIMIT ${MOST_LINKS}`,
  )
    .pluck()
    .all(...code, except) as string[];
}

/**
 * Links a just-inserted entry into the graph: `about` each of its subjects, `follows` the previous
 * entry of its source, and between pitfalls and the changes that fixed (`fixed_by`) or caused
 * (`caused_by`) them when they share a file, symbol or command. Runs inside admission's transaction.
 */
export function linkNewEntry(db: Database.Database, entry: NewEntry, at: number): void {
  for (const subject of entry.subjects) addRelation(db, entry.id, 'about', subject, at);
  if (entry.source) {
    const previous = statement(db, 'SELECT id FROM entries WHERE source_run = ? AND source_task = ? AND id != ? ORDER BY seq DESC LIMIT 1')
      .pluck()
      .get(entry.source.runId, entry.source.taskId, entry.id) as string | undefined;
    if (previous) addRelation(db, entry.id, 'follows', previous, at);
  }
  if (entry.kind !== 'pitfall' && FIX_WORDS.test(entry.text)) {
    for (const pitfall of sharingSubjects(db, entry.subjects, "e.kind = 'pitfall'", entry.id)) addRelation(db, pitfall, 'fixed_by', entry.id, at);
  }
  if (entry.kind === 'pitfall' && CAUSE_WORDS.test(entry.text)) {
    const cause = sharingSubjects(db, entry.subjects, "e.kind != 'pitfall'", entry.id)[0];
    if (cause) addRelation(db, entry.id, 'caused_by', cause, at);
  }
}
