import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { measureCacheShare } from './agents-cache.js';
import { measureToolOverhead } from './agents-overhead.js';
import { timeParallelRun } from './agents-parallel.js';
import { measureSandboxOverhead } from './agents-sandbox.js';
import { fixed, median, percentile, printTable } from './table.js';
import { writeResults } from './results.js';

const CACHE_TURNS = 20;
const OVERHEAD_TURNS = 30;
const SANDBOX_SAMPLES = 200;
const PARALLEL_TASKS = 8;
const WORKER_COUNTS = [1, 2, 4, 8];
const PARALLEL = { turns: 3, delayMs: 200, warm: true, settleMs: 1_000 };
const COLD = { ...PARALLEL, warm: false, settleMs: 0 };
/** Runs per figure of the parallel measure, whose median is reported: one run on a shared 2-core machine can be off by a third. */
const RUNS = 3;

const { values } = parseArgs({ options: { json: { type: 'string' } } });

// Timings on a shared machine mean little without how busy it was.
const loadBefore = loadavg()[0]!;
const cached = await measureCacheShare(CACHE_TURNS, true);
const uncached = await measureCacheShare(CACHE_TURNS, false);
// The first run of the loop warms the code paths; the next ones are measured.
await measureToolOverhead(10);
const overhead = { samples: [] as number[], toServer: [] as number[] };
for (let i = 0; i < RUNS; i++) {
  const run = await measureToolOverhead(OVERHEAD_TURNS);
  overhead.samples.push(...run.samples);
  overhead.toServer.push(...run.toServer);
}

async function medianRun(tasks: number, workers: number, options: typeof PARALLEL): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeParallelRun(tasks, workers, options));
  return median(times);
}
const single = await medianRun(1, 1, PARALLEL);
const singleCold = await medianRun(1, 1, COLD);
const eightCold = await medianRun(PARALLEL_TASKS, PARALLEL_TASKS, COLD);
const parallel: { workers: number; wall_ms: number; ideal_ms: number; ratio_to_ideal: number }[] = [];
for (const workers of WORKER_COUNTS) {
  const wall = await medianRun(PARALLEL_TASKS, workers, PARALLEL);
  const ideal = Math.ceil(PARALLEL_TASKS / workers) * single;
  parallel.push({ workers, wall_ms: Math.round(wall), ideal_ms: Math.round(ideal), ratio_to_ideal: fixed(wall / ideal) });
}
const sandbox = await measureSandboxOverhead(SANDBOX_SAMPLES);
const eightOnEight = parallel.find((p) => p.workers === PARALLEL_TASKS)!;

const results = {
  cache_read_share: fixed(cached.share),
  cache_read_share_off: fixed(uncached.share),
  cache_turns: CACHE_TURNS,
  cost_usd_cache_on: fixed(cached.usage.costUsd, 6),
  cost_usd_cache_off: fixed(uncached.usage.costUsd, 6),
  tool_overhead_ms_p50: fixed(percentile(overhead.samples, 50)),
  tool_overhead_ms_p95: fixed(percentile(overhead.samples, 95)),
  tool_overhead_samples: overhead.samples.length,
  tool_overhead_to_server_ms_p50: fixed(percentile(overhead.toServer, 50)),
  sandbox_overhead_ms_p50: fixed(sandbox.overheadMsP50),
  sandboxed_true_ms_p50: fixed(sandbox.sandboxedMsP50),
  unsandboxed_true_ms_p50: fixed(sandbox.unsandboxedMsP50),
  sandbox_samples: sandbox.samples,
  single_task_ms: Math.round(single),
  parallel_8_ratio: fixed(eightOnEight.wall_ms / single),
  parallel,
  single_task_cold_ms: Math.round(singleCold),
  parallel_8_cold_ms: Math.round(eightCold),
  parallel_8_ratio_cold: fixed(eightCold / singleCold),
  parallel_setup: { tasks: PARALLEL_TASKS, turns_per_task: PARALLEL.turns, answer_delay_ms: PARALLEL.delayMs, workers_warmed_first: true, settle_ms_after_warm_up: PARALLEL.settleMs, median_of_runs: RUNS },
  targets: { cache_read_share: '>= 0.70', tool_overhead_ms_p50: '< 2', sandbox_overhead_ms_p50: '< 15', parallel_8_ratio: '<= 1.25' },
  node: process.version,
  cpus: availableParallelism(),
  load_average_1m: { before: fixed(loadBefore, 2), after: fixed(loadavg()[0]!, 2) },
};

printTable([
  ['measure', 'value', 'target'],
  [`input tokens read from cache, ${CACHE_TURNS}-turn loop, caching on`, `${(results.cache_read_share * 100).toFixed(1)}%`, '>= 70%'],
  [`input tokens read from cache, ${CACHE_TURNS}-turn loop, caching off`, `${(results.cache_read_share_off * 100).toFixed(1)}%`, ''],
  ['cost of the loop, caching on / off', `$${results.cost_usd_cache_on} / $${results.cost_usd_cache_off}`, ''],
  ['worker overhead per tool call p50 (answer in -> next request handed to the connection, less the tool)', `${results.tool_overhead_ms_p50} ms`, '< 2 ms'],
  ['worker overhead per tool call p95', `${results.tool_overhead_ms_p95} ms`, ''],
  ['  the same up to the request reaching the server, p50', `${results.tool_overhead_to_server_ms_p50} ms`, ''],
  ['OS sandbox cost of one command (median of sandboxed less unsandboxed `true`, paired)', `${results.sandbox_overhead_ms_p50} ms (p50 ${results.sandboxed_true_ms_p50} ms inside, ${results.unsandboxed_true_ms_p50} ms outside, ${results.sandbox_samples} pairs)`, '< 15 ms'],
  [`one task (${PARALLEL.turns} answers of ${PARALLEL.delayMs} ms), warm worker`, `${results.single_task_ms} ms`, ''],
  ...parallel.map((p) => [`${PARALLEL_TASKS} tasks on ${p.workers} warm worker${p.workers === 1 ? '' : 's'} (ideal ${p.ideal_ms} ms)`, `${p.wall_ms} ms (${p.ratio_to_ideal}x ideal)`, '']),
  [`${PARALLEL_TASKS} tasks on ${PARALLEL_TASKS} warm workers / one task`, `${results.parallel_8_ratio}x`, '<= 1.25x'],
  [`the same on fresh workers (first task of each process)`, `${results.parallel_8_cold_ms} ms / ${results.single_task_cold_ms} ms = ${results.parallel_8_ratio_cold}x`, ''],
]);

console.log(`\n${results.cpus} CPUs; 1-minute load average ${results.load_average_1m.before} before, ${results.load_average_1m.after} after`);
if (values.json) writeResults('agents', results, resolve(values.json));
else writeResults('agents', results);
