import type { Logger } from 'pino';
import {
  failedResult,
  ProtocolError,
  type Budget,
  type DependencySummary,
  type MessageOf,
  type TaskContext,
  type TaskSpec,
  type WorkerMessage,
} from '@coordinate/protocol';
import type { z } from 'zod';
import type { NewJournalEvent } from '../journal/events.js';
import { describeProgress, type AttemptOutcome } from './attempt.js';
import type { RunHooks } from './hooks.js';
import type { WorkerRecord, WorkerRegistry } from './registry.js';

export interface DispatcherOptions {
  runId: string;
  repoRoot: string;
  scratchpadDir: string;
  registry: WorkerRegistry;
  hooks: RunHooks;
  record: (event: NewJournalEvent) => void;
  /** Resolves once every event recorded so far is on disk: awaited before telling a worker what the journal must back. */
  durable: () => Promise<void>;
  dependencies(task: TaskSpec): Promise<z.infer<typeof DependencySummary>[]>;
  defaultBudget: Budget;
  logger: Logger;
}

interface ActiveAttempt {
  task: TaskSpec;
  attempt: number;
  worker: WorkerRecord;
  context: TaskContext;
  state: 'assigned' | 'started' | 'settling';
  resolve(outcome: AttemptOutcome): void;
}

type Msg<T extends WorkerMessage['type']> = MessageOf<WorkerMessage, T>;
const keyOf = (taskId: string, attempt: number) => `${taskId}#${attempt}`;

/**
 * Hands attempts to workers and applies their results exactly once: only the current attempt
 * of a task, from the worker holding it, counts; it is on disk before `task.ack` is sent; a
 * duplicate of an applied result is acknowledged again and changes nothing.
 */
export class Dispatcher {
  readonly #active = new Map<string, ActiveAttempt>();
  readonly #applied = new Set<string>();
  readonly #dropped = new Set<string>();
  readonly #known: Set<string>;

  constructor(
    private readonly options: DispatcherOptions,
    tasks: readonly TaskSpec[],
  ) {
    this.#known = new Set(tasks.map((t) => t.id));
  }

  /** Tasks added to the running graph: their results count from now on. */
  know(tasks: readonly TaskSpec[]): void {
    for (const task of tasks) this.#known.add(task.id);
  }

  async runAttempt(task: TaskSpec, attempt: number, signal: AbortSignal): Promise<AttemptOutcome> {
    const { registry, record } = this.options;
    let worker: WorkerRecord;
    try {
      worker = await registry.acquire(signal);
    } catch {
      return { kind: 'cancelled' };
    }
    let context: TaskContext;
    try {
      context = await this.#context(task, attempt, worker);
    } catch (error) {
      registry.release(worker);
      const result = failedResult(error, 'prepare_failed');
      record({ type: 'task.finished', taskId: task.id, attempt, result });
      return { kind: 'result', result };
    }
    if (signal.aborted || worker.state !== 'busy') {
      registry.release(worker);
      return signal.aborted ? { kind: 'cancelled' } : { kind: 'lost', reason: `worker ${worker.id} was lost before the task was assigned` };
    }
    let active!: ActiveAttempt;
    const outcome = new Promise<AttemptOutcome>((resolve) => {
      active = { task, attempt, worker, context, state: 'assigned', resolve };
    });
    worker.holding = { taskId: task.id, attempt };
    this.#active.set(task.id, active);
    record({ type: 'task.assigned', taskId: task.id, attempt, workerId: worker.id });
    // A resumed run must never hand out this attempt number again, so the worker hears of it only
    // once the journal has it; meanwhile the attempt may have been cancelled or its worker lost.
    await this.options.durable();
    if (this.#active.get(task.id) === active && active.state === 'assigned') {
      worker.peer?.send({ type: 'task.assign', taskId: task.id, attempt, task, context });
    }
    return outcome;
  }

  /** Messages about attempts: accepted, progress, result and heartbeats. */
  async handle(worker: WorkerRecord, message: Msg<'task.accepted' | 'task.progress' | 'task.result' | 'heartbeat'>): Promise<void> {
    switch (message.type) {
      case 'task.accepted': {
        const active = this.#current(worker, message.taskId, message.attempt);
        if (active?.state !== 'assigned') return;
        active.state = 'started';
        this.options.record({ type: 'task.started', taskId: message.taskId, attempt: message.attempt, workerId: worker.id });
        return;
      }
      case 'task.progress': {
        const active = this.#current(worker, message.taskId, message.attempt);
        if (!active || active.state === 'settling') return;
        const { taskId, attempt, event, usage } = message;
        this.options.record({ type: 'task.progress', taskId, attempt, summary: describeProgress(event), ...(usage ? { usage } : {}) });
        // A denial is a policy decision someone may audit later, so it is a state event of its own.
        if (event.kind === 'denied') this.options.record({ type: 'tool.denied', taskId, attempt, tool: event.tool, reason: event.reason });
        this.options.hooks.onProgress?.(taskId, event, usage);
        return;
      }
      case 'task.result':
        return this.#settle(worker, message);
      case 'heartbeat':
        for (const { taskId, attempt } of message.active) {
          if (!this.#current(worker, taskId, attempt)) {
            worker.peer?.send({ type: 'task.cancel', taskId, attempt, reason: 'this attempt is no longer current' });
          }
        }
        return;
    }
  }

  /** The worker holding `taskId` on reconnect gets its assignment again; it answers from where it is. */
  reassignAfterReconnect(worker: WorkerRecord): void {
    for (const active of this.#active.values()) {
      if (active.worker !== worker || active.state === 'settling') continue;
      const { task, attempt, context } = active;
      worker.peer?.send({ type: 'task.assign', taskId: task.id, attempt, task, context });
    }
  }

  /** The worker is dead: its unsettled attempt goes back to the scheduler. */
  workerLost(worker: WorkerRecord, reason: string): void {
    for (const [taskId, active] of this.#active) {
      if (active.worker !== worker || active.state === 'settling') continue;
      this.#active.delete(taskId);
      active.resolve({ kind: 'lost', reason: `worker ${worker.id} lost: ${reason}` });
    }
  }

  cancelAll(reason: string): void {
    for (const [taskId, active] of this.#active) {
      if (active.state === 'settling') continue;
      this.#active.delete(taskId);
      active.worker.peer?.send({ type: 'task.cancel', taskId, attempt: active.attempt, reason });
      active.resolve({ kind: 'cancelled' });
    }
  }

  #current(worker: WorkerRecord, taskId: string, attempt: number): ActiveAttempt | undefined {
    const active = this.#active.get(taskId);
    return active && active.attempt === attempt && active.worker === worker ? active : undefined;
  }

  async #settle(worker: WorkerRecord, message: Msg<'task.result'>): Promise<void> {
    const { taskId, attempt } = message;
    const key = keyOf(taskId, attempt);
    if (this.#applied.has(key)) {
      await this.options.durable();
      worker.peer?.send({ type: 'task.ack', taskId, attempt });
      return;
    }
    const active = this.#current(worker, taskId, attempt);
    if (!active) {
      if (!this.#known.has(taskId)) throw new ProtocolError('not_found', `no task "${taskId}" in this run`);
      if (!this.#dropped.has(key)) {
        this.#dropped.add(key);
        const current = this.#active.get(taskId);
        const reason = current ? `attempt ${attempt} is stale: attempt ${current.attempt} is current` : `attempt ${attempt} is not held by ${worker.id}`;
        this.options.record({ type: 'result.dropped', taskId, attempt, workerId: worker.id, reason });
        this.options.logger.warn({ taskId, attempt, workerId: worker.id, reason }, 'stale result dropped');
      }
      throw new ProtocolError('stale_attempt', `result for ${taskId} attempt ${attempt} dropped: it is not the current attempt`, { taskId, attempt });
    }
    if (active.state === 'settling') return;
    active.state = 'settling';
    let result = message.result;
    try {
      result = (await this.options.hooks.acceptResult?.(active.task, result, attempt)) ?? result;
    } catch (error) {
      result = failedResult(error, 'result_rejected');
    }
    this.options.record({ type: 'task.finished', taskId, attempt, result });
    this.#applied.add(key);
    this.#active.delete(taskId);
    // The worker forgets a result once it is acknowledged, so the ack waits for the disk.
    await this.options.durable();
    worker.peer?.send({ type: 'task.ack', taskId, attempt });
    this.options.registry.release(worker);
    active.resolve({ kind: 'result', result });
  }

  async #context(task: TaskSpec, attempt: number, worker: WorkerRecord): Promise<TaskContext> {
    const prepared = (await this.options.hooks.prepareTask?.(task, attempt)) ?? {};
    const local = worker.sharedFs && !worker.remote;
    return {
      runId: this.options.runId,
      dependencies: await this.options.dependencies(task),
      memory: prepared.memory ?? [],
      budget: prepared.budget ?? this.options.defaultBudget,
      ...(prepared.model ? { model: prepared.model } : {}),
      ...(prepared.conflict ? { conflict: prepared.conflict } : {}),
      ...(prepared.checkFailure ? { checkFailure: prepared.checkFailure } : {}),
      ...(prepared.settings ? { settings: prepared.settings } : {}),
      ...(local ? { root: prepared.root ?? this.options.repoRoot, scratchpadDir: this.options.scratchpadDir } : {}),
    };
  }
}
