import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runPlan, type JournalEvent, type RunPlanOptions } from 'coordinate';
import type { TaskSpec } from '@coordinate/protocol';
import { startFleet, type SimulatedFleet } from './fleet.js';

export const TOKEN = 'bench-scale-token-0123456789abcdef';
/** How long the load run waits, once every socket is open, for the last workers' hello. */
const JOIN_TIMEOUT_MS = 60_000;

const task = (id: string): TaskSpec => ({ id, title: id, role: 'research', instructions: 'bench', dependsOn: [] });
export const independentTasks = (count: number) => Array.from({ length: count }, (_, i) => task(`t${i}`));

/** A run with no local worker, listening for simulated ones; resolves once it listens. */
export async function startScaleRun(options: Pick<RunPlanOptions, 'tasks' | 'heartbeatMs' | 'deadAfterMs' | 'maxConnections' | 'prepare'> & { onEvent(event: JournalEvent): void; repoRoot?: string }) {
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

export interface LoadFigures {
  workers: number;
  tasks: number;
  dispatchP50: number;
  dispatchP99: number;
  samples: number;
  rssMb: number;
  cpuMsPerTask: number;
}

/**
 * `workers` simulated workers in `processes` processes take `tasks` independent tasks, each held
 * `holdMs`. No task is released before every worker has joined, so each dispatch is measured under
 * full load: the round trip the coordinator sees, from journaling `task.assigned` (the fsync that
 * backs it and the send follow) to the worker's `task.accepted` being journaled as `task.started`.
 */
export async function measureLoad(workers: number, processes: number, tasks: number, holdMs: number): Promise<LoadFigures> {
  const assignedAt = new Map<string, number>();
  const durations: number[] = [];
  let joined = 0;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let allJoined!: () => void;
  const fleetReady = new Promise<void>((resolve) => (allJoined = resolve));
  const run = await startScaleRun({
    tasks: independentTasks(tasks),
    heartbeatMs: 1_000,
    deadAfterMs: 30_000,
    maxConnections: workers + 16,
    // Every attempt is prepared before a worker is taken for it: holding the preparation holds the work.
    prepare: async () => {
      await fleetReady;
      return {};
    },
    onEvent: (event) => {
      if (event.type === 'worker.joined' && ++joined === workers) allJoined();
      else if (event.type === 'task.assigned') assignedAt.set(event.taskId, performance.now());
      else if (event.type === 'task.started') {
        const at = assignedAt.get(event.taskId);
        if (at !== undefined) durations.push(performance.now() - at);
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
    durations.sort((a, b) => a - b);
    const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? Number.NaN;
    return { workers: joined, tasks, dispatchP50: at(0.5), dispatchP99: at(0.99), samples: durations.length, rssMb: peakRss / 1024 / 1024, cpuMsPerTask: (cpu.user + cpu.system) / 1000 / tasks };
  } finally {
    clearInterval(sampler);
    for (const fleet of fleets) fleet.kill();
    await Promise.all(fleets.map((fleet) => fleet.exited));
    await run.cleanup();
  }
}
