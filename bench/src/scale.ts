import { measureBundleTransfer } from './scale/bundle.js';
import { measureLoad } from './scale/load.js';
import { measureRequeue } from './scale/requeue.js';
import { writeResults } from './results.js';
import { printTable } from './table.js';

const WORKERS = 1_000;
/** One process of simulated workers per core of this 2-core machine, each niced below the coordinator. */
const PROCESSES = 2;
const TASKS = 5_000;
/** The mean time a worker holds a task: 1,000 workers then finish about 200 tasks a second between them. */
const HOLD_MS = 5_000;
const DROPPED = 100;
const HEARTBEAT_MS = 2_000;
const DEAD_AFTER_MS = 10_000;
const BUNDLE_MB = 64;

const fixed = (value: number, digits = 3) => Number(value.toFixed(digits));

const load = await measureLoad(WORKERS, PROCESSES, TASKS, HOLD_MS);
console.error(`load: ${JSON.stringify(load)}`);
const requeue = await measureRequeue(DROPPED, HEARTBEAT_MS, DEAD_AFTER_MS);
console.error(`requeue: ${JSON.stringify(requeue)}`);
const bundle = await measureBundleTransfer(BUNDLE_MB);

const results = {
  workers: load.workers,
  tasks: load.tasks,
  dispatch_p50_ms: fixed(load.dispatchP50),
  dispatch_p99_ms: fixed(load.dispatchP99),
  dispatch_samples: load.samples,
  first_wave_ms: fixed(load.firstWaveMs),
  coordinator_rss_mb: fixed(load.rssMb, 1),
  cpu_ms_per_task: fixed(load.cpuMsPerTask),
  requeue_100_s: fixed(requeue.seconds),
  liveness_timeout_s: requeue.deadAfterMs / 1000,
  bundle_mb_per_s: fixed(bundle.mbPerS, 1),
  bundle_mb: fixed(bundle.bundleMb, 1),
  simulated_worker_processes: PROCESSES,
  node: process.version,
};

const table = [
  ['measure', 'value', 'target'],
  ['simulated workers connected', `${results.workers}`, '1,000'],
  // Dispatch: a ready task taken for a worker that came free → that worker's task.accepted journaled, every worker busy.
  [`dispatch p50, every worker busy (${results.dispatch_samples} dispatches)`, `${results.dispatch_p50_ms} ms`, ''],
  ['dispatch p99, every worker busy', `${results.dispatch_p99_ms} ms`, '< 5 ms'],
  [`first wave: ${results.workers} tasks released at once, all accepted`, `${results.first_wave_ms} ms`, ''],
  ['coordinator RSS (peak)', `${results.coordinator_rss_mb} MB`, '< 400 MB'],
  ['coordinator CPU per task', `${results.cpu_ms_per_task} ms`, ''],
  [`100 tasks of 100 dropped workers running again`, `${results.requeue_100_s} s`, `<= ${(2 * DEAD_AFTER_MS) / 1000} s (2 x liveness timeout)`],
  [`base-commit bundle to a remote worker, loopback (${results.bundle_mb} MB)`, `${results.bundle_mb_per_s} MB/s`, ''],
];
printTable(table);

writeResults('scale', results);
