import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureCacheShare } from './agents-cache.js';
import { measureRequestSend, measureToolOverhead } from './agents-overhead.js';
import { timeParallelRun } from './agents-parallel.js';
import { fixed, median, percentile, printTable } from './agents-table.js';

const CACHE_TURNS = 20;
const OVERHEAD_TURNS = 30;
const PARALLEL_TASKS = 8;
const WORKER_COUNTS = [1, 2, 4, 8];
const PARALLEL = { turns: 3, delayMs: 200, warm: true };
const COLD = { ...PARALLEL, warm: false };
const SINGLE_TASK_RUNS = 3;

const { values } = parseArgs({ options: { json: { type: 'string' } } });
const out = values.json ? resolve(values.json) : join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'agents.json');

// Timings on a shared machine mean little without how busy it was.
const loadBefore = loadavg()[0]!;
const cached = await measureCacheShare(CACHE_TURNS, true);
const uncached = await measureCacheShare(CACHE_TURNS, false);
// The first run of the loop warms the code paths; only the second is measured.
await measureToolOverhead(10);
const overhead = await measureToolOverhead(OVERHEAD_TURNS);
const send = await measureRequestSend(OVERHEAD_TURNS);

async function medianSingleTask(options: typeof PARALLEL): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < SINGLE_TASK_RUNS; i++) times.push(await timeParallelRun(1, 1, options));
  return median(times);
}
const single = await medianSingleTask(PARALLEL);
const singleCold = await medianSingleTask(COLD);
const eightCold = await timeParallelRun(PARALLEL_TASKS, PARALLEL_TASKS, COLD);
const parallel: { workers: number; wall_ms: number; ideal_ms: number; ratio_to_ideal: number }[] = [];
for (const workers of WORKER_COUNTS) {
  const wall = await timeParallelRun(PARALLEL_TASKS, workers, PARALLEL);
  const ideal = Math.ceil(PARALLEL_TASKS / workers) * single;
  parallel.push({ workers, wall_ms: Math.round(wall), ideal_ms: Math.round(ideal), ratio_to_ideal: fixed(wall / ideal) });
}
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
  request_send_ms_p50: fixed(percentile(send, 50)),
  single_task_ms: Math.round(single),
  parallel_8_ratio: fixed(eightOnEight.wall_ms / single),
  parallel,
  single_task_cold_ms: Math.round(singleCold),
  parallel_8_cold_ms: Math.round(eightCold),
  parallel_8_ratio_cold: fixed(eightCold / singleCold),
  parallel_setup: { tasks: PARALLEL_TASKS, turns_per_task: PARALLEL.turns, answer_delay_ms: PARALLEL.delayMs, workers_warmed_first: true },
  targets: { cache_read_share: '>= 0.70', tool_overhead_ms_p50: '< 2', parallel_8_ratio: '<= 1.25' },
  node: process.version,
  cpus: availableParallelism(),
  load_average_1m: { before: fixed(loadBefore, 2), after: fixed(loadavg()[0]!, 2) },
};

printTable([
  ['measure', 'value', 'target'],
  [`input tokens read from cache, ${CACHE_TURNS}-turn loop, caching on`, `${(results.cache_read_share * 100).toFixed(1)}%`, '>= 70%'],
  [`input tokens read from cache, ${CACHE_TURNS}-turn loop, caching off`, `${(results.cache_read_share_off * 100).toFixed(1)}%`, ''],
  ['cost of the loop, caching on / off', `$${results.cost_usd_cache_on} / $${results.cost_usd_cache_off}`, ''],
  ['worker overhead per tool call p50', `${results.tool_overhead_ms_p50} ms`, '< 2 ms'],
  ['worker overhead per tool call p95', `${results.tool_overhead_ms_p95} ms`, ''],
  ['  of which the SDK sending the next request, p50', `${results.request_send_ms_p50} ms`, ''],
  [`one task (${PARALLEL.turns} answers of ${PARALLEL.delayMs} ms), warm worker`, `${results.single_task_ms} ms`, ''],
  ...parallel.map((p) => [`${PARALLEL_TASKS} tasks on ${p.workers} warm worker${p.workers === 1 ? '' : 's'} (ideal ${p.ideal_ms} ms)`, `${p.wall_ms} ms (${p.ratio_to_ideal}x ideal)`, '']),
  [`${PARALLEL_TASKS} tasks on ${PARALLEL_TASKS} warm workers / one task`, `${results.parallel_8_ratio}x`, '<= 1.25x'],
  [`the same on fresh workers (first task of each process)`, `${results.parallel_8_cold_ms} ms / ${results.single_task_cold_ms} ms = ${results.parallel_8_ratio_cold}x`, ''],
]);

console.log(`\n${results.cpus} CPUs; 1-minute load average ${results.load_average_1m.before} before, ${results.load_average_1m.after} after`);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${out}`);
