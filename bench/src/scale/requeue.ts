import { performance } from 'node:perf_hooks';
import { startFleet } from './fleet.js';
import { independentTasks, startScaleRun, TOKEN } from './load.js';

/**
 * `count` workers hold one task each when their process is SIGKILLed; `count` idle workers wait.
 * Measures the seconds from the kill until every one of those tasks runs again (its next attempt
 * accepted), against the liveness timeout `deadAfterMs`.
 */
export async function measureRequeue(count: number, heartbeatMs: number, deadAfterMs: number): Promise<{ seconds: number; deadAfterMs: number }> {
  let started = 0;
  let restarted = 0;
  let killedAt = 0;
  let allBack!: () => void;
  const back = new Promise<void>((resolve) => (allBack = resolve));
  let allBusy!: () => void;
  let spoilt!: (error: Error) => void;
  const busy = new Promise<void>((resolve, reject) => ((allBusy = resolve), (spoilt = reject)));
  const run = await startScaleRun({
    tasks: independentTasks(count),
    heartbeatMs,
    deadAfterMs,
    maxConnections: 2 * count + 16,
    onEvent: (event) => {
      // A worker lost before the kill (a machine too loaded to keep up its heartbeats) spoils the measure: say so rather than wait for ever.
      if (event.type === 'worker.lost' && killedAt === 0) spoilt(new Error(`${event.workerId} was lost before the kill (${event.reason}): the machine is too loaded for this measure; run it again`));
      if (event.type !== 'task.started') return;
      if (event.attempt === 1 && ++started === count) allBusy();
      if (event.attempt === 2 && ++restarted === count) allBack();
    },
  });
  const doomed = startFleet({ url: run.url, token: TOKEN, count, holdMs: 0, hang: true });
  await busy;
  // The spare workers join only once every task is held, so each re-queued task finds one idle.
  const spare = startFleet({ url: run.url, token: TOKEN, count, holdMs: 10 });
  try {
    await spare.connected;
    killedAt = performance.now();
    doomed.kill();
    await back;
    const seconds = (performance.now() - killedAt) / 1000;
    await run.done;
    return { seconds, deadAfterMs };
  } finally {
    doomed.kill();
    spare.kill();
    await Promise.all([doomed.exited, spare.exited]);
    await run.cleanup();
  }
}
