import { idf } from './ranking.js';

/**
 * Pseudo-relevance feedback (RM3-style query expansion): the words the best first hits share, and
 * the question does not say, are added to the search with a smaller weight. A question that names a
 * thing only by its kind ("what pets does she have?") then reaches the entries that name it ("Luna",
 * "cat") once one first hit does. Tuned on LoCoMo's development conversations (bench/).
 */
export interface FeedbackLimits {
  /** How many of the best first hits are read for feedback words. */
  documents: number;
  /** How many feedback words join the search, at most. */
  terms: number;
  /** A word in more entries than this share (and more than `minCommonDf`) is too common to say anything. */
  maxDfShare: number;
  minCommonDf: number;
}

export const DEFAULT_FEEDBACK: FeedbackLimits = { documents: 8, terms: 8, maxDfShare: 0.05, minCommonDf: 50 };

export interface FeedbackDocument {
  /** The entry's indexed words (terms.ts), space-separated as stored. */
  terms: string;
  score: number;
}

export interface FeedbackTerm {
  term: string;
  /** The term's idf times the score share of the first hits that hold it. */
  weight: number;
  df: number;
}

/**
 * The feedback words of `documents` (the best first hits, best first), heaviest first. A word must
 * occur in at least two entries (a word only the hit holds reaches nothing new) and be distinctive.
 */
export function feedbackTerms(
  documents: readonly FeedbackDocument[],
  queryTerms: ReadonlySet<string>,
  df: (term: string) => number,
  docCount: number,
  limits: FeedbackLimits = DEFAULT_FEEDBACK,
): FeedbackTerm[] {
  const top = documents.slice(0, limits.documents);
  const total = top.reduce((sum, doc) => sum + doc.score, 0);
  if (total <= 0) return [];
  const maxDf = Math.max(limits.minCommonDf, docCount * limits.maxDfShare);
  const weights = new Map<string, FeedbackTerm>();
  for (const doc of top) {
    for (const term of new Set(doc.terms.split(' '))) {
      if (queryTerms.has(term)) continue;
      const n = df(term);
      if (n < 2 || n > maxDf) continue;
      const known = weights.get(term) ?? { term, weight: 0, df: n };
      known.weight += (doc.score / total) * idf(docCount, n);
      weights.set(term, known);
    }
  }
  return [...weights.values()].sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term)).slice(0, limits.terms);
}

/** The share (0..1) of the feedback words' weight an entry holds. */
export function feedbackMatch(expansion: readonly FeedbackTerm[], entryTerms: ReadonlySet<string>): number {
  let total = 0;
  let held = 0;
  for (const { term, weight } of expansion) {
    total += weight;
    if (entryTerms.has(term)) held += weight;
  }
  return total === 0 ? 0 : held / total;
}
