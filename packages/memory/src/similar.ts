import type Database from 'better-sqlite3';
import { statement } from './statements.js';
import type { Doclists } from './doclists.js';
import type { EntryRow } from './rows.js';
import { isNegative, jaccard, termsOf, valuesOf } from './terms.js';

const RARE_DOCS = 200;

/**
 * Live entries most likely to restate `text`: those holding the rarest words of its subject. A
 * restatement shares its subject, so it holds the three rarest together, or at least some rare ones.
 */
export function similarEntries(db: Database.Database, doclists: Doclists, text: string, df: (term: string) => number, limit: number): EntryRow[] {
  const ranked = [...subjectOf(text)].map((term) => ({ term, df: df(term) })).filter((t) => t.df > 0).sort((a, b) => a.df - b.df);
  if (ranked.length === 0) return [];
  const rare = ranked.slice(0, 4).filter((t) => t.df <= RARE_DOCS).map((t) => ({ ...t, weight: 1 }));
  const seqs = new Set(doclists.weighted(rare, limit, 4 * RARE_DOCS).map((hit) => hit.rowid));
  for (const rowid of doclists.docsWithAll(ranked.slice(0, 3).map((t) => t.term), limit)) seqs.add(rowid);
  if (seqs.size === 0) return [];
  return statement(db, `SELECT * FROM entries WHERE seq IN (${[...seqs].map(() => '?').join(',')}) AND +status IN ('active', 'quarantined')`)
    .all(...seqs) as EntryRow[];
}

export type Relation = { kind: 'duplicate' } | { kind: 'contradiction'; reason: string } | { kind: 'unrelated' };

const UPDATE_MARKERS = /\b(now|no longer|anymore|instead|replaced|deprecated|moved to|switched|renamed|as of)\b/i;
const VALUE_SPANS = /`[^`]*`|"[^"]*"|[^\s`"]*\/[^\s`"]*|\b\d+(?:\.\d+)*\b/g;
const NEGATION_TERMS = new Set(termsOf("never not don't dont avoid stop without must mustn't shouldn't cannot disabled now longer anymore instead"));

/** The words a statement is about, without the values it commits to (names in code, paths, numbers). */
export const subjectOf = (text: string) =>
  new Set(termsOf(text.replace(VALUE_SPANS, ' ')).filter((term) => !NEGATION_TERMS.has(term)));

/**
 * How a new statement relates to an existing one. Statements are about the same thing when neither
 * speaks of something the other does not; then other values, the opposite polarity or an update
 * marker make a contradiction (the newer wins), and otherwise a duplicate.
 */
export function relate(older: { text: string }, newer: { text: string }): Relation {
  const subjectA = subjectOf(older.text);
  const subjectB = subjectOf(newer.text);
  let shared = 0;
  for (const term of subjectA) if (subjectB.has(term)) shared++;
  const onlyOlder = subjectA.size - shared;
  const onlyNewer = subjectB.size - shared;
  if (shared < 2 || (onlyOlder > 0 && onlyNewer > 0)) return { kind: 'unrelated' };
  const valuesA = valuesOf(older.text);
  const valuesB = valuesOf(newer.text);
  const valuesDiffer = [...valuesB].some((value) => !valuesA.has(value)) || [...valuesA].some((value) => !valuesB.has(value));
  const polarityDiffers = isNegative(older.text) !== isNegative(newer.text);
  // "Never run `a`" and "never run `b`" are two prohibitions, not one that changed.
  if (valuesDiffer && isNegative(older.text) && isNegative(newer.text)) return { kind: 'unrelated' };
  if (valuesDiffer && valuesA.size > 0 && valuesB.size > 0) {
    const gone = [...valuesA].filter((value) => !valuesB.has(value));
    const came = [...valuesB].filter((value) => !valuesA.has(value));
    return { kind: 'contradiction', reason: `value changed: ${gone.join(', ') || '—'} → ${came.join(', ') || '—'}` };
  }
  if (polarityDiffers) return { kind: 'contradiction', reason: 'the newer statement says the opposite' };
  const same = jaccard(subjectA, subjectB);
  if (UPDATE_MARKERS.test(newer.text) && same >= 0.8) return { kind: 'contradiction', reason: 'the newer statement updates it' };
  if (same >= 0.75 && !valuesDiffer) return { kind: 'duplicate' };
  return { kind: 'unrelated' };
}
