import { idf } from './ranking.js';

/**
 * The relevance floor, set from the store's own word statistics rather than fixed numbers: a word
 * is distinctive when few entries hold it (at most `DISTINCTIVE_SHARE` of them, and never fewer
 * than `MIN_DISTINCTIVE_DF` nor more than `MAX_DISTINCTIVE_DF`), and an entry that shares `SHARED_DISTINCTIVE` (one) of them with the
 * question is relevant whatever else either says. Tuned on LoCoMo's development conversations and
 * the generated corpus's abstention queries (bench/).
 */
const DISTINCTIVE_SHARE = 0.05;
const MIN_DISTINCTIVE_DF = 3;
/** However large the store, a word in more entries than this is not distinctive. */
const MAX_DISTINCTIVE_DF = 50;
const SHARED_DISTINCTIVE = 1;

export interface Floor {
  /** The idf at and above which a word is distinctive in this store. */
  distinctiveIdf: number;
  sharedDistinctive: number;
}

export function calibrateFloor(docCount: number): Floor {
  const df = Math.max(MIN_DISTINCTIVE_DF, Math.min(MAX_DISTINCTIVE_DF, Math.floor(docCount * DISTINCTIVE_SHARE)));
  return { distinctiveIdf: idf(docCount, df), sharedDistinctive: SHARED_DISTINCTIVE };
}

/** How many of the question's words an entry holds are distinctive ones. */
export function sharedDistinctive(floor: Floor, queryTerms: readonly string[], entryTerms: ReadonlySet<string>, weight: (term: string) => number): number {
  let shared = 0;
  for (const term of queryTerms) if (entryTerms.has(term) && weight(term) >= floor.distinctiveIdf) shared++;
  return shared;
}
