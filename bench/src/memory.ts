import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateTokens, openMemory } from '@coordinate/memory';
import { generateCorpus, type CorpusEntry } from './memory-corpus.js';
import { score, type MemoryMetrics, type QueryOutcome } from './memory-metrics.js';
import { writeResults } from './results.js';
import { printTable } from './table.js';

/** The budget a task prompt gives memory summaries. */
const TOKEN_BUDGET = 300;
const SEED = 20_240_601;
/** Proposals per write transaction while loading the corpus. */
const ADMIT_BATCH = 1000;

interface SizeResult extends MemoryMetrics {
  entries: number;
  admit_ms_per_entry: number;
  store_tokens: number;
  injected_token_share: number;
  /** Latencies with the store's doclist cache filled by one earlier pass over the same queries; the plain ones are cold. */
  warm_p50_ms: number;
  warm_p95_ms: number;
  warm_p50_cpu_ms: number;
  warm_p95_cpu_ms: number;
}

/**
 * MEMORY_BENCH_STORE=<folder> keeps each size's loaded store (and which corpus key each entry holds)
 * there and reuses it on the next run: loading 100k entries takes minutes, a retrieval change does
 * not need it. Delete the folder after changing admission or the corpus.
 */
function storeFor(size: number): { path: string; keys: string; kept: boolean; cleanup: () => void } {
  const kept = process.env.MEMORY_BENCH_STORE;
  if (kept) {
    mkdirSync(kept, { recursive: true });
    return { path: join(kept, `memory-${size}-${SEED}.db`), keys: join(kept, `keys-${size}-${SEED}.json`), kept: true, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'coordinate-bench-memory-'));
  return { path: join(dir, 'memory.db'), keys: join(dir, 'keys.json'), kept: false, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function runSize(size: number): SizeResult {
  const store = storeFor(size);
  const reuse = store.kept && existsSync(store.keys);
  const memory = openMemory(store.path);
  try {
    const corpus = generateCorpus(size, SEED);
    const keyOf = new Map<string, string>(reuse ? (JSON.parse(readFileSync(store.keys, 'utf8')) as [string, string][]) : []);
    // Batches through the product's bulk path: each entry still goes through full admission
    // (duplicate and contradiction checks, linking), but the store commits once per batch.
    const admitAll = (entries: readonly CorpusEntry[]) => {
      for (let start = 0; start < entries.length; start += ADMIT_BATCH) {
        const batch = entries.slice(start, start + ADMIT_BATCH);
        const results = memory.admitMany(batch.map((entry) => ({ kind: entry.kind, text: entry.text, tags: entry.tags, files: entry.files })));
        results.forEach((result, i) => keyOf.set(result.id, batch[i]!.key));
      }
    };
    const started = performance.now();
    if (!reuse) {
      admitAll(corpus.entries);
      admitAll(corpus.updates);
      writeFileSync(store.keys, JSON.stringify([...keyOf]));
    }
    // A reused store was loaded by an earlier run: its admission time is not measured here.
    const admitMs = reuse ? Number.NaN : (performance.now() - started) / (corpus.entries.length + corpus.updates.length);
    // Searched as a consolidated store is: `dream` merges the word index, and a bulk load leaves it in many segments.
    memory.mergeWordIndex();

    for (const query of corpus.queries.slice(0, 20)) memory.retrieve({ query: query.query, files: query.files, tokenBudget: TOKEN_BUDGET, limit: 5 });
    const search = (query: (typeof corpus.queries)[number]): QueryOutcome => {
      const cpu = process.cpuUsage();
      const t = performance.now();
      const results = memory.retrieve({ query: query.query, files: query.files, tokenBudget: TOKEN_BUDGET, limit: 5 });
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      return { query, ms, cpuMs: (used.user + used.system) / 1000, returned: results.map((r) => keyOf.get(r.id) ?? r.id), tokens: results.reduce((sum, r) => sum + r.tokens, 0) };
    };
    // Cold: every search reads its doclists from the index, as the first search for its words in a run does.
    const outcomes = corpus.queries.map((query) => {
      memory.dropReadCache();
      return search(query);
    });
    // Warm: the same searches once more, after one pass has filled the store's cache as a long run's would.
    for (const query of corpus.queries) search(query);
    const warmOutcomes = corpus.queries.map(search);
    warmOutcomes.forEach((warm, i) => {
      if (warm.returned.join() !== outcomes[i]!.returned.join()) throw new Error(`cached doclists changed the answer to "${warm.query.query}"`);
    });
    // Counted after the timed searches: listing 100k entries leaves a few hundred MB for the collector, whose work would land in them.
    const storeTokens = memory.list().reduce((sum, entry) => sum + estimateTokens(`${entry.title}\n${entry.body}`), 0);
    const warm = score(warmOutcomes);
    const metrics = score(outcomes);
    return {
      entries: size,
      admit_ms_per_entry: admitMs,
      store_tokens: storeTokens,
      injected_token_share: metrics.tokens_per_query / storeTokens,
      ...metrics,
      warm_p50_ms: warm.p50_ms,
      warm_p95_ms: warm.p95_ms,
      warm_p50_cpu_ms: warm.p50_cpu_ms,
      warm_p95_cpu_ms: warm.p95_cpu_ms,
    };
  } finally {
    memory.close();
    store.cleanup();
  }
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits));

function printSizes(results: SizeResult[]): void {
  const rows: [string, (r: SizeResult) => string, string][] = [
    ['recall@5', (r) => r.recall_at_5.toFixed(3), '≥ 0.9'],
    ['  paraphrase', (r) => r.recall_by_type.paraphrase!.toFixed(3), ''],
    ['  identifier', (r) => r.recall_by_type.identifier!.toFixed(3), ''],
    ['  two-entry', (r) => r.recall_by_type.two_entry!.toFixed(3), ''],
    ['  update', (r) => r.recall_by_type.update!.toFixed(3), ''],
    ['MRR', (r) => r.mrr.toFixed(3), ''],
    ['stale-hit rate', (r) => r.stale_hit_rate.toFixed(3), '≤ 0.05'],
    ['false injection (abstention)', (r) => r.abstention_false_injection_rate.toFixed(3), '≤ 0.05'],
    ['directive recall', (r) => r.directive_recall.toFixed(3), '1.0'],
    ['tokens injected / query', (r) => r.tokens_per_query.toFixed(1), ''],
    ['tokens in the whole store', (r) => String(r.store_tokens), ''],
    ['injected share', (r) => `${(r.injected_token_share * 100).toFixed(3)}%`, '≤ 5%'],
    ['p50 retrieval ms, cold cache', (r) => r.p50_ms.toFixed(2), ''],
    ['p95 retrieval ms, cold cache', (r) => r.p95_ms.toFixed(2), '< 10 at 100k'],
    ['p50 retrieval CPU ms, cold cache', (r) => r.p50_cpu_ms.toFixed(2), ''],
    ['p95 retrieval CPU ms, cold cache', (r) => r.p95_cpu_ms.toFixed(2), ''],
    ['p50 retrieval ms, warm cache', (r) => r.warm_p50_ms.toFixed(2), ''],
    ['p95 retrieval ms, warm cache', (r) => r.warm_p95_ms.toFixed(2), '< 10 at 100k'],
    ['p50 retrieval CPU ms, warm cache', (r) => r.warm_p50_cpu_ms.toFixed(2), ''],
    ['p95 retrieval CPU ms, warm cache', (r) => r.warm_p95_cpu_ms.toFixed(2), ''],
    ['admission ms / entry', (r) => (Number.isNaN(r.admit_ms_per_entry) ? 'store reused' : r.admit_ms_per_entry.toFixed(2)), ''],
  ];
  const header = ['metric', ...results.map((r) => `${r.entries / 1000}k entries`), 'target'];
  const table = [header, ...rows.map(([name, value, target]) => [name, ...results.map(value), target])];
  printTable(table);
}

function main(): void {
  const sizes = (process.env.MEMORY_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
  const results = sizes.map((size) => {
    console.error(`memory bench: ${size} entries…`);
    return runSize(size);
  });
  printSizes(results);
  const largest = results[results.length - 1]!;
  const smallest = results[0]!;
  const json = {
    recall_at_5: round(largest.recall_at_5),
    mrr: round(largest.mrr),
    p50_ms_100k: round(largest.p50_ms, 3),
    p95_ms_100k: round(largest.p95_ms, 3),
    p50_cpu_ms_100k: round(largest.p50_cpu_ms, 3),
    p95_cpu_ms_100k: round(largest.p95_cpu_ms, 3),
    warm_p50_ms_100k: round(largest.warm_p50_ms, 3),
    warm_p95_ms_100k: round(largest.warm_p95_ms, 3),
    warm_p50_cpu_ms_100k: round(largest.warm_p50_cpu_ms, 3),
    warm_p95_cpu_ms_100k: round(largest.warm_p95_cpu_ms, 3),
    load_average: loadavg().map((n) => round(n, 2)),
    cores: availableParallelism(),
    p50_ms_10k: round(smallest.p50_ms, 3),
    p95_ms_10k: round(smallest.p95_ms, 3),
    injected_token_share: round(largest.injected_token_share, 6),
    stale_hit_rate: round(largest.stale_hit_rate),
    abstention_false_injection_rate: round(largest.abstention_false_injection_rate),
    directive_recall: round(largest.directive_recall),
    seed: SEED,
    token_budget: TOKEN_BUDGET,
    sizes: results,
  };
  writeResults('memory', json);
}

main();
