import type { CorpusQuery, QueryType } from './memory-corpus.js';

export interface QueryOutcome {
  query: CorpusQuery;
  /** Corpus keys of what came back, best first. */
  returned: string[];
  tokens: number;
  ms: number;
  /** CPU time of the search: unlike wall time, it does not count waiting for a core on a busy machine. */
  cpuMs: number;
}

export const percentile = (sorted: readonly number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

const RANKED: QueryType[] = ['paraphrase', 'identifier', 'two_entry', 'update'];

export interface MemoryMetrics {
  recall_at_5: number;
  mrr: number;
  recall_by_type: Record<string, number>;
  stale_hit_rate: number;
  abstention_false_injection_rate: number;
  directive_recall: number;
  tokens_per_query: number;
  p50_ms: number;
  p95_ms: number;
  p50_cpu_ms: number;
  p95_cpu_ms: number;
}

export function score(outcomes: readonly QueryOutcome[]): MemoryMetrics {
  const ranked = outcomes.filter((o) => RANKED.includes(o.query.type));
  const recallOf = (o: QueryOutcome) => {
    const relevant = Object.keys(o.query.relevant);
    const top = new Set(o.returned.slice(0, 5));
    return relevant.filter((key) => top.has(key)).length / relevant.length;
  };
  const reciprocal = (o: QueryOutcome) => {
    const rank = o.returned.findIndex((key) => (o.query.relevant[key] ?? 0) > 0);
    return rank === -1 ? 0 : 1 / (rank + 1);
  };
  const updates = outcomes.filter((o) => o.query.type === 'update');
  const abstentions = outcomes.filter((o) => o.query.type === 'abstention');
  const directives = outcomes.filter((o) => o.query.type === 'directive');
  const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const cpu = outcomes.map((o) => o.cpuMs).sort((a, b) => a - b);
  return {
    recall_at_5: mean(ranked.map(recallOf)),
    mrr: mean(ranked.map(reciprocal)),
    recall_by_type: Object.fromEntries(RANKED.map((type) => [type, mean(ranked.filter((o) => o.query.type === type).map(recallOf))])),
    stale_hit_rate: mean(updates.map((o) => (o.query.stale && o.returned.includes(o.query.stale) ? 1 : 0))),
    abstention_false_injection_rate: mean(abstentions.map((o) => (o.returned.length > 0 ? 1 : 0))),
    directive_recall: mean(directives.map(recallOf)),
    tokens_per_query: mean(outcomes.map((o) => o.tokens)),
    p50_ms: percentile(latencies, 0.5),
    p95_ms: percentile(latencies, 0.95),
    p50_cpu_ms: percentile(cpu, 0.5),
    p95_cpu_ms: percentile(cpu, 0.95),
  };
}
