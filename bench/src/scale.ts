import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { measureBundleTransfer } from './scale/bundle.js';
import { measureFsync } from './scale/fsync.js';
import { measureLoad } from './scale/load.js';
import { measureRequeue } from './scale/requeue.js';
import { writeResults } from './results.js';
import { fixed, printTable } from './table.js';

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
const FSYNC_PROBES = 200;
/** A folder in memory (tmpfs), where an fsync costs nothing: the dispatch figures without the disk's share. */
const MEMORY_FOLDER = '/dev/shm';

const loadBefore = loadavg()[0]!;
const fsyncDisk = await measureFsync(tmpdir(), FSYNC_PROBES, 5);
console.error(`fsync: ${JSON.stringify(fsyncDisk)}`);
const load = await measureLoad(WORKERS, PROCESSES, TASKS, HOLD_MS);
console.error(`load: ${JSON.stringify(load)}`);
const inMemory = existsSync(MEMORY_FOLDER) ? await measureLoad(WORKERS, PROCESSES, TASKS, HOLD_MS, { folder: MEMORY_FOLDER }) : undefined;
console.error(`load, journal in memory: ${JSON.stringify(inMemory)}`);
const requeue = await measureRequeue(DROPPED, HEARTBEAT_MS, DEAD_AFTER_MS);
console.error(`requeue: ${JSON.stringify(requeue)}`);
const bundle = await measureBundleTransfer(BUNDLE_MB);

const results = {
  workers: load.workers,
  tasks: load.tasks,
  dispatch_p50_ms: fixed(load.dispatchP50),
  dispatch_p99_ms: fixed(load.dispatchP99),
  round_trip_p50_ms: fixed(load.roundTripP50),
  round_trip_p99_ms: fixed(load.roundTripP99),
  dispatch_samples: load.samples,
  first_wave_ms: fixed(load.firstWaveMs),
  journal_fsync_p50_ms: fixed(fsyncDisk.p50),
  journal_fsync_p99_ms: fixed(fsyncDisk.p99),
  ...(inMemory
    ? {
        dispatch_journal_in_memory_p50_ms: fixed(inMemory.dispatchP50),
        dispatch_journal_in_memory_p99_ms: fixed(inMemory.dispatchP99),
        round_trip_journal_in_memory_p50_ms: fixed(inMemory.roundTripP50),
        round_trip_journal_in_memory_p99_ms: fixed(inMemory.roundTripP99),
      }
    : {}),
  coordinator_rss_mb: fixed(load.rssMb, 1),
  cpu_ms_per_task: fixed(load.cpuMsPerTask),
  requeue_100_s: fixed(requeue.seconds),
  liveness_timeout_s: requeue.deadAfterMs / 1000,
  bundle_mb_per_s: fixed(bundle.mbPerS, 1),
  bundle_mb: fixed(bundle.bundleMb, 1),
  simulated_worker_processes: PROCESSES,
  task_hold_mean_ms: HOLD_MS,
  /** The machine's 1-minute load average before the bench and after it: the figures are only as quiet as the machine. */
  load_average_before: fixed(loadBefore, 2),
  load_average_after: fixed(loadavg()[0]!, 2),
  node: process.version,
};

const table = [
  ['measure', 'value', 'target'],
  ['simulated workers connected', `${results.workers}`, '1,000'],
  // From a ready task taken for a worker that came free, every other worker busy: to task.assign written to its socket (dispatch), to its task.accepted journaled (round trip).
  [`dispatch p50, every worker busy (${results.dispatch_samples} dispatches)`, `${results.dispatch_p50_ms} ms`, ''],
  ['dispatch p99, every worker busy', `${results.dispatch_p99_ms} ms`, '< 5 ms'],
  ['round trip to task.accepted, p50 / p99', `${results.round_trip_p50_ms} / ${results.round_trip_p99_ms} ms`, ''],
  ['journal fsync on this disk (made when a task is queued), p50 / p99', `${results.journal_fsync_p50_ms} / ${results.journal_fsync_p99_ms} ms`, ''],
  ...(inMemory
    ? [
        ['dispatch p50 / p99, journal in memory (tmpfs)', `${fixed(inMemory.dispatchP50)} / ${fixed(inMemory.dispatchP99)} ms`, '< 5 ms'],
        ['round trip p50 / p99, journal in memory (tmpfs)', `${fixed(inMemory.roundTripP50)} / ${fixed(inMemory.roundTripP99)} ms`, ''],
      ]
    : []),
  [`first wave: ${results.workers} tasks released at once, all accepted`, `${results.first_wave_ms} ms`, ''],
  ['coordinator RSS (peak)', `${results.coordinator_rss_mb} MB`, '< 400 MB'],
  ['coordinator CPU per task', `${results.cpu_ms_per_task} ms`, ''],
  [`100 tasks of 100 dropped workers running again`, `${results.requeue_100_s} s`, `<= ${(2 * DEAD_AFTER_MS) / 1000} s (2 x liveness timeout)`],
  [`base-commit bundle to a remote worker, loopback (${results.bundle_mb} MB)`, `${results.bundle_mb_per_s} MB/s`, ''],
];
printTable(table);
console.log(`machine load average (1 min): ${results.load_average_before} before, ${results.load_average_after} after`);

writeResults('scale', results);
