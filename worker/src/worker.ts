import { createRequire } from 'node:module';
import type { Logger } from 'pino';
import type { CoordinateError, CoordinatorMessage } from '@coordinate/protocol';
import { z } from 'zod';
import { CoordinatorConnection } from './connection.js';
import { executors, type TaskExecutor } from './executor.js';
import { SPAWNED_LIMITS, type WorkerLimits } from './limits.js';
import { WorkerConfigError } from './errors.js';
import { watchParent } from './parent-watch.js';
import { PendingRequests } from './requests.js';
import { leasesFor, memoryFor, reservationsFor, scratchpadFor } from './task-services.js';
import { TaskRunner } from './task-runner.js';

export interface WorkerOptions {
  url: string;
  token: string;
  /** A registered executor name, or the executor itself. */
  executor: string | TaskExecutor;
  logger: Logger;
  /** Started by a coordinator on this machine: shares its filesystem and dies with it. */
  spawned?: boolean;
  /** The coordinator's pid, watched when spawned (default: this process's parent). */
  parentPid?: number;
  /** The id a spawned worker asks for, so its log file and the journal agree. */
  name?: string;
  /** What the worker allows itself (default: a spawned worker's, sandbox on). */
  limits?: WorkerLimits;
  /** PEM certificates to trust for a wss:// coordinator with a private CA. */
  ca?: string;
  giveUpAfterMs?: number;
  /** Aborting it stops the worker like a shutdown message would. */
  signal?: AbortSignal;
}

export interface WorkerExit {
  code: number;
  reason: string;
}

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };
const StaleAttempt = z.object({ taskId: z.string(), attempt: z.number() });

/** Connects to a coordinator, runs the tasks it assigns, and resolves once the worker stops. */
export function runWorker(options: WorkerOptions): Promise<WorkerExit> {
  const executor = resolveExecutor(options.executor);
  const { logger } = options;
  const sharedFs = options.spawned ?? false;
  const limits = options.limits ?? SPAWNED_LIMITS;
  let workerId = options.name;
  let heartbeat: NodeJS.Timeout | undefined;
  let stopping = false;
  let finish!: (exit: WorkerExit) => void;
  const done = new Promise<WorkerExit>((resolve) => (finish = resolve));

  const connection = new CoordinatorConnection({
    url: options.url,
    token: options.token,
    logger,
    ...(options.ca ? { ca: options.ca } : {}),
    ...(options.giveUpAfterMs === undefined ? {} : { giveUpAfterMs: options.giveUpAfterMs }),
    onOpen: () =>
      connection.send({
        type: 'hello',
        pid: process.pid,
        version,
        roles: limits.roles ?? ['research', 'implement', 'verify'],
        sharedFs,
        ...(workerId ? { workerId } : {}),
      }),
    onMessage: (message) => handle(message),
    onFatal: (error: CoordinateError) => void stop(error.message, 1),
  });
  const send = connection.send.bind(connection);
  const requests = new PendingRequests(send);
  const runner = new TaskRunner({
    executor,
    send,
    scratchpadFor: scratchpadFor(sharedFs, requests),
    memory: memoryFor(requests),
    reservations: reservationsFor(requests),
    leases: leasesFor(requests),
    logger,
    limits,
  });

  function handle(message: CoordinatorMessage): void {
    switch (message.type) {
      case 'welcome':
        workerId = message.workerId;
        logger.info({ workerId, runId: message.runId }, 'joined the run');
        clearInterval(heartbeat);
        heartbeat = setInterval(() => send({ type: 'heartbeat', active: runner.active() }), message.heartbeatMs);
        runner.resendResults();
        requests.resendAll();
        return;
      case 'task.assign':
        return runner.assign(message);
      case 'task.ack':
        return runner.acknowledge(message.taskId, message.attempt);
      case 'task.cancel':
        return runner.cancel(message.taskId, message.attempt, message.reason);
      case 'shutdown':
        void stop(`shutdown: ${message.reason}`, 0);
        return;
      case 'error': {
        if (requests.settle(message)) return;
        const stale = message.error.code === 'stale_attempt' ? StaleAttempt.safeParse(message.error.data) : undefined;
        if (stale?.success) return runner.drop(stale.data.taskId, stale.data.attempt, message.error.message);
        logger.warn({ error: message.error }, 'the coordinator reported an error');
        return;
      }
      default:
        if (!requests.settle(message)) logger.debug({ type: message.type }, 'unexpected reply ignored');
    }
  }

  async function stop(reason: string, code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'worker stopping');
    clearInterval(heartbeat);
    stopWatching?.();
    requests.rejectAll(reason);
    await runner.cancelAll(reason);
    connection.close();
    finish({ code, reason });
  }

  const stopWatching = sharedFs ? watchParent(options.parentPid ?? process.ppid, () => void stop('the coordinator process is gone', 1)) : undefined;
  options.signal?.addEventListener('abort', () => void stop('stopped', 0), { once: true });
  connection.start();
  return done;
}

function resolveExecutor(executor: string | TaskExecutor): TaskExecutor {
  if (typeof executor === 'function') return executor;
  const factory = executors.get(executor);
  if (!factory) throw new WorkerConfigError(`unknown executor "${executor}" (known: ${[...executors.keys()].join(', ') || 'none'})`);
  return factory();
}
