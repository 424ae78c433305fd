import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { runPlan, type JournalEvent, type RunPlanOptions } from 'coordinate';
import type { TaskSpec } from '@coordinate/protocol';
import { startFleet, type SimulatedFleet } from './fleet.js';
import { percentile } from '../table.js';

export const TOKEN = 'bench-scale-token-0123456789abcdef';
/** How long the load run waits, once every socket is open, for the last workers' hello. */
const JOIN_TIMEOUT_MS = 60_000;

const task = (id: string): TaskSpec => ({ id, title: id, role: 'research', instructions: 'bench', dependsOn: [] });
export const independentTasks = (count: number) => Array.from({ length: count }, (_, i) => task(`t${i}`));

/** A run with no local worker, listening for simulated ones; resolves once it listens. */
export async function startScaleRun(options: Pick<RunPlanOptions, 'tasks' | 'heartbeatMs' | 'deadAfterMs' | 'maxConnections' | 'prepare' | 'logger'> & { onEvent(event: JournalEvent): void; repoRoot?: string }) {
  const repoRoot = options.repoRoot ?? (await mkdtemp(join(tmpdir(), 'coordinate-bench-scale-')));
  let url: string | undefined;
  const done = runPlan({
    repoRoot,
    runId: 'scale',
    goal: 'bench',
    workers: 0,
    executor: 'deterministic',
    token: TOKEN,
    ...options,
    onEvent: (event) => {
      if (event.type === 'run.started') url = event.url;
      options.onEvent(event);
    },
  });
  while (url === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
  return { url, done, cleanup: () => rm(repoRoot, { recursive: true, force: true }) };
}

const key = (taskId: string, attempt: number) => `${taskId}#${attempt}`;
const SENT_LINE = /"taskId":"([^"]+)","attempt":(\d+),"workerId":"[^"]*","msg":"task sent to its worker"/;

export interface LoadFigures {
  workers: number;
  tasks: number;
  /** Dispatches measured: every one after the first wave. */
  samples: number;
  /** The coordinator's part: a ready task taken for a free worker → its task.assign written to that worker's socket. */
  dispatchP50: number;
  dispatchP99: number;
  /** The same start → the worker's task.accepted journaled as task.started (the worker's reply included). */
  roundTripP50: number;
  roundTripP99: number;
  /** From releasing the first wave (one task per worker, all at once) to the last of it accepted. */
  firstWaveMs: number;
  rssMb: number;
  cpuMsPerTask: number;
}

/**
 * `workers` simulated workers in `processes` processes take `tasks` independent tasks, each held
 * about `holdMs` (spread evenly from half to one and a half times). No task is released before
 * every worker has joined; the first wave then gives every worker a task at once (a burst, timed
 * as a whole: `firstWaveMs`). From then on every worker is busy and tasks end one at a time, and
 * each dispatch is measured under that full load from the scheduler taking a ready task for a
 * worker that just came free (the attempt's `prepare`): to its `task.assign` written to the
 * worker's socket (the coordinator's debug line "task sent to its worker": picking the worker,
 * journaling `task.assigned`, waiting for the attempt's reservation to be on disk, made when the
 * task was queued, the send), and to the worker's
 * `task.accepted` journaled as `task.started` (the round trip). Dispatch, not time spent in the
 * queue waiting for a worker to come free.
 */
export async function measureLoad(workers: number, processes: number, tasks: number, holdMs: number, options: { folder?: string } = {}): Promise<LoadFigures> {
  const takenAt = new Map<string, number>();
  const durations: number[] = [];
  const roundTrips: number[] = [];
  // The coordinator's log, read as it is written: only the line that says an assignment left is wanted.
  const logger = pino({ level: 'debug' }, {
    write: (line: string) => {
      const sent = SENT_LINE.exec(line);
      const at = sent && takenAt.get(key(sent[1]!, Number(sent[2])));
      if (at) durations.push(performance.now() - at);
    },
  });
  let joined = 0;
  let waveStarted = 0;
  let waveLeft = 0;
  let firstWaveMs = Number.NaN;
  let peakRss = 0;
  // rss() alone: the full memoryUsage() walks the heap spaces, work the coordinator measured here would pay for.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 100);
  let allJoined!: () => void;
  let released = false;
  const fleetReady = new Promise<void>((resolve) => (allJoined = resolve)).then(() => {
    released = true;
    waveStarted = performance.now();
  });
  const run = await startScaleRun({
    logger,
    // The run folder, and so its journal, lives under `folder` (the system's temporary folder by default).
    ...(options.folder ? { repoRoot: await mkdtemp(join(options.folder, 'coordinate-bench-scale-')) } : {}),
    tasks: independentTasks(tasks),
    heartbeatMs: 1_000,
    deadAfterMs: 30_000,
    maxConnections: workers + 16,
    // Every attempt is prepared before a worker is taken for it: holding the preparation holds the work.
    prepare: async (spec, attempt) => {
      if (released) {
        takenAt.set(key(spec.id, attempt), performance.now());
        return {};
      }
      waveLeft++;
      await fleetReady;
      return {};
    },
    onEvent: (event) => {
      if (event.type === 'worker.joined' && ++joined === workers) allJoined();
      else if (event.type === 'task.started') {
        const at = takenAt.get(key(event.taskId, event.attempt));
        if (at !== undefined) roundTrips.push(performance.now() - at);
        else if (--waveLeft === 0) firstWaveMs = performance.now() - waveStarted;
      }
    },
  });
  const cpuBefore = process.cpuUsage();
  const fleets: SimulatedFleet[] = [];
  try {
    for (let p = 0; p < processes; p++) fleets.push(startFleet({ url: run.url, token: TOKEN, count: Math.ceil(workers / processes), holdMs }));
    await Promise.all(fleets.map((fleet) => fleet.connected));
    // A worker whose hello never arrived must not hold the run for ever: the figures then say how many joined.
    const timeout = setTimeout(allJoined, JOIN_TIMEOUT_MS);
    await fleetReady;
    clearTimeout(timeout);
    const result = await run.done;
    const cpu = process.cpuUsage(cpuBefore);
    if (result.outcome !== 'succeeded') throw new Error(`the load run ended ${result.outcome}`);
    return {
      workers: joined,
      tasks,
      samples: durations.length,
      dispatchP50: percentile(durations, 50),
      dispatchP99: percentile(durations, 99),
      roundTripP50: percentile(roundTrips, 50),
      roundTripP99: percentile(roundTrips, 99),
      firstWaveMs,
      rssMb: peakRss / 1024 / 1024,
      cpuMsPerTask: (cpu.user + cpu.system) / 1000 / tasks,
    };
  } finally {
    clearInterval(sampler);
    for (const fleet of fleets) fleet.kill();
    await Promise.all(fleets.map((fleet) => fleet.exited));
    await run.cleanup();
  }
}
