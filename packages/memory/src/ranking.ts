const Z = 1.96;
const DAY_MS = 86_400_000;
const RECENCY_HALF_LIFE_DAYS = 90;

/** The lower bound of the 95% Wilson interval: how good a success rate is, given how much evidence there is. */
export function wilsonLowerBound(successes: number, trials: number): number {
  if (trials <= 0) return 0;
  const p = successes / trials;
  const z2 = Z * Z;
  const centre = p + z2 / (2 * trials);
  const margin = Z * Math.sqrt((p * (1 - p) + z2 / (4 * trials)) / trials);
  return (centre - margin) / (1 + z2 / trials);
}

/**
 * Quality of an entry from its verified outcomes. One pseudo-success and one pseudo-failure put an
 * unused entry between proven and failing ones, while twenty passes still beat one lucky pass.
 */
export const quality = (successes: number, failures: number): number => wilsonLowerBound(successes + 1, successes + failures + 2);

export function recency(lastSeen: number, now: number): number {
  const days = Math.max(0, now - lastSeen) / DAY_MS;
  return Math.pow(0.5, days / RECENCY_HALF_LIFE_DAYS);
}

export function idf(docs: number, df: number): number {
  return Math.log(1 + (docs - df + 0.5) / (df + 0.5));
}

export interface Signals {
  text: number;
  bm25: number;
  files: number;
  tags: number;
  quality: number;
  recency: number;
  needsRevalidation: boolean;
  quarantined: boolean;
}

/** The weight of text coverage, the strongest signal of `fuse`. */
export const TEXT_WEIGHT = 0.55;

/**
 * Relevance dominates; quality and recency order what is equally relevant; doubt ranks an entry
 * down. BM25's weight was set on LoCoMo's development conversations: coverage finds the entry that
 * holds the question's words, BM25 orders the many that hold some of them.
 */
export function fuse(s: Signals): number {
  const base = TEXT_WEIGHT * s.text + 0.2 * s.bm25 + 0.2 * s.files + 0.05 * s.tags + 0.1 * s.quality + 0.05 * s.recency;
  return base * (s.needsRevalidation ? 0.6 : 1) * (s.quarantined ? 0.3 : 1);
}
