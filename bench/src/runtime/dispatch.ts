import { performance } from 'node:perf_hooks';
import { benchContext, benchTask, startLiveWorker } from './live-worker.js';

export interface DispatchFigures {
  p50: number;
  p99: number;
  samples: number;
}

/**
 * Round trip of one dispatch on loopback: from sending `task.assign` to receiving the worker's
 * `task.accepted`. Tasks go one after another, each acknowledged, as a real run does.
 */
export async function measureDispatch(tasks: number): Promise<DispatchFigures> {
  const live = await startLiveWorker();
  const durations: number[] = [];
  try {
    let sentAt = 0;
    let step!: () => void;
    live.onMessage((message) => {
      if (message.type === 'task.accepted') durations.push(performance.now() - sentAt);
      if (message.type === 'task.result') {
        live.peer.send({ type: 'task.ack', taskId: message.taskId, attempt: message.attempt });
        step();
      }
    });
    const context = benchContext({});
    for (let i = 0; i < tasks; i++) {
      const id = `t${i}`;
      const done = new Promise<void>((resolve) => (step = resolve));
      sentAt = performance.now();
      live.peer.send({ type: 'task.assign', taskId: id, attempt: 1, task: benchTask(id), context });
      await done;
    }
  } finally {
    await live.close();
  }
  durations.sort((a, b) => a - b);
  const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!;
  return { p50: at(0.5), p99: at(0.99), samples: durations.length };
}

/** How many protocol messages per second one worker gets through to the coordinator (decoded and validated). */
export async function measureMessageRate(messages: number): Promise<{ perSecond: number; received: number }> {
  const live = await startLiveWorker();
  try {
    let received = 0;
    let first = 0;
    let last = 0;
    const done = new Promise<void>((resolve) => {
      live.onMessage((message) => {
        if (message.type === 'task.progress') {
          if (received === 0) first = performance.now();
          received++;
          last = performance.now();
        }
        if (message.type === 'task.result') {
          live.peer.send({ type: 'task.ack', taskId: message.taskId, attempt: message.attempt });
          resolve();
        }
      });
    });
    live.peer.send({ type: 'task.assign', taskId: 'flood', attempt: 1, task: benchTask('flood'), context: benchContext({ progress: messages }) });
    await done;
    return { perSecond: received / ((last - first) / 1000), received };
  } finally {
    await live.close();
  }
}
