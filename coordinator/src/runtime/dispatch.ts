import type { Logger } from 'pino';
import {
  failedResult,
  ProtocolError,
  type Budget,
  type DependencySummary,
  type MessageOf,
  type ProgressEvent,
  type TaskContext,
  type TaskSpec,
  type Usage,
  type WorkerMessage,
} from '@coordinate/protocol';
import type { z } from 'zod';
import type { NewJournalEvent } from '../journal/events.js';
import type { RemoteTasks } from '../remote/index.js';
import { describeProgress, type AttemptOutcome } from './attempt.js';
import type { PreparedTask } from './prepared-task.js';
import type { WorkerRecord, WorkerRegistry } from './registry.js';
import { AttemptStages } from './task-stage.js';

export interface DispatcherOptions {
  runId: string;
  repoRoot: string;
  scratchpadDir: string;
  registry: WorkerRegistry;
  /** Every progress event of a task's current attempt, as the worker sent it (the live view, memory). */
  onProgress?(taskId: string, event: ProgressEvent, usage?: Usage): void;
  record: (event: NewJournalEvent) => void;
  /** Resolves once every event recorded so far is on disk: awaited before acknowledging a result. */
  durable: () => Promise<void>;
  /** Resolves once the attempt's number is reserved on disk (`AttemptReservations.onDisk`): awaited before a worker hears of it. */
  reserved: (taskId: string, attempt: number) => Promise<void>;
  dependencies(task: TaskSpec): Promise<z.infer<typeof DependencySummary>[]>;
  defaultBudget: Budget;
  /** Serves the repository to workers without the shared filesystem and takes their changes in. */
  remote: RemoteTasks;
  logger: Logger;
}

interface ActiveAttempt {
  task: TaskSpec;
  attempt: number;
  worker: WorkerRecord;
  context: TaskContext;
  stages: AttemptStages;
  /** The directory prepared for the attempt on this machine (its worktree), where a remote change is taken in. */
  root: string | undefined;
  /** Whether task.assign left for the worker: not before the attempt's reservation is on disk. */
  sent: boolean;
  resolve(outcome: AttemptOutcome): void;
}

type Msg<T extends WorkerMessage['type']> = MessageOf<WorkerMessage, T>;
const keyOf = (taskId: string, attempt: number) => `${taskId}#${attempt}`;

/**
 * Hands attempts to workers and takes their results exactly once: only the current attempt of a
 * task, from the worker holding it, counts; it is journaled (`task.result`) and on disk before
 * `task.ack` is sent, and nothing else happens first (judging and merging are later stages of the
 * caller's); a duplicate of a taken result is acknowledged again and changes nothing. It moves each
 * attempt through assigned → accepted → running → result.
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

  /**
   * Runs one attempt on the next free worker with what the caller prepared for it, and resolves once
   * the attempt reached `result` (journaled and acknowledged), or was lost or cancelled (`abandoned`).
   */
  async runAttempt(task: TaskSpec, stages: AttemptStages, prepared: PreparedTask, signal: AbortSignal): Promise<AttemptOutcome> {
    const { registry, record } = this.options;
    const { attempt } = stages;
    let worker: WorkerRecord;
    try {
      worker = await registry.acquire(signal);
    } catch {
      stages.move('abandoned');
      return { kind: 'cancelled' };
    }
    let context: TaskContext;
    let root: string | undefined;
    try {
      ({ context, root } = await this.#context(task, attempt, prepared, worker));
    } catch (error) {
      // The repository could not be made ready for a worker elsewhere (its base bundle).
      // Still queued: the attempt is recorded as failed without a worker ever holding it.
      registry.release(worker);
      return { kind: 'result', result: failedResult(error, 'prepare_failed') };
    }
    if (signal.aborted || worker.state !== 'busy') {
      registry.release(worker);
      stages.move('abandoned');
      return signal.aborted ? { kind: 'cancelled' } : { kind: 'lost', reason: `worker ${worker.id} was lost before the task was assigned` };
    }
    let active!: ActiveAttempt;
    const outcome = new Promise<AttemptOutcome>((resolve) => {
      active = { task, attempt, worker, context, stages, root, sent: false, resolve };
    });
    worker.holding = { taskId: task.id, attempt };
    this.#active.set(task.id, active);
    stages.move('assigned');
    record({ type: 'task.assigned', taskId: task.id, attempt, workerId: worker.id });
    // A resumed run must never hand out this attempt number again, so the worker hears of it only
    // once its reservation is on disk (synced while the task waited for a worker, as a rule; the
    // task.assigned line itself is history and rides the next sync). Meanwhile the attempt may
    // have been cancelled or its worker lost.
    await this.options.reserved(task.id, attempt);
    if (this.#active.get(task.id) !== active || stages.stage !== 'assigned') return outcome;
    active.sent = true;
    if (worker.peer?.send({ type: 'task.assign', taskId: task.id, attempt, task, context })) {
      // When the assignment left: with the journal's task.assigned and task.started, where a dispatch spent its time.
      this.options.logger.debug({ taskId: task.id, attempt, workerId: worker.id }, 'task sent to its worker');
    }
    return outcome;
  }

  /** Messages about attempts: accepted, progress, result and heartbeats. */
  async handle(worker: WorkerRecord, message: Msg<'task.accepted' | 'task.progress' | 'task.result' | 'heartbeat'>): Promise<void> {
    switch (message.type) {
      case 'task.accepted': {
        const active = this.#current(worker, message.taskId, message.attempt);
        if (active?.stages.stage !== 'assigned') return;
        active.stages.move('accepted');
        this.options.record({ type: 'task.started', taskId: message.taskId, attempt: message.attempt, workerId: worker.id });
        return;
      }
      case 'task.progress': {
        const active = this.#current(worker, message.taskId, message.attempt);
        if (!active || active.stages.stage === 'result') return;
        if (active.stages.stage !== 'running') active.stages.advanceTo('running');
        const { taskId, attempt, event, usage } = message;
        this.options.record({ type: 'task.progress', taskId, attempt, summary: describeProgress(event), ...(usage ? { usage } : {}) });
        // A denial is a policy decision someone may audit later, so it is a state event of its own.
        if (event.kind === 'denied') this.options.record({ type: 'tool.denied', taskId, attempt, tool: event.tool, reason: event.reason });
        this.options.onProgress?.(taskId, event, usage);
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

  /**
   * The worker holding `taskId` on reconnect gets its assignment again; it answers from where it is.
   * An assignment still waiting for its reservation to reach the disk leaves later, as the first.
   */
  reassignAfterReconnect(worker: WorkerRecord): void {
    for (const active of this.#active.values()) {
      if (active.worker !== worker || !active.sent || active.stages.stage === 'result') continue;
      const { task, attempt, context } = active;
      worker.peer?.send({ type: 'task.assign', taskId: task.id, attempt, task, context });
    }
  }

  /**
   * Sends a person's note to the running attempt of each of `taskIds` (every running one when
   * empty) and journals it; returns the attempts it reached. An attempt whose result is in, or that
   * its worker has not accepted yet, is not running and is left out.
   */
  steer(note: string, taskIds: readonly string[]): { taskId: string; attempt: number }[] {
    const reached: { taskId: string; attempt: number }[] = [];
    for (const [taskId, active] of this.#active) {
      if (taskIds.length > 0 && !taskIds.includes(taskId)) continue;
      if (active.stages.stage !== 'accepted' && active.stages.stage !== 'running') continue;
      if (!active.worker.peer?.send({ type: 'task.steer', taskId, attempt: active.attempt, note })) continue;
      this.options.record({ type: 'task.steered', taskId, attempt: active.attempt, note });
      reached.push({ taskId, attempt: active.attempt });
    }
    return reached;
  }

  /** The worker is dead: its unsettled attempt goes back to the scheduler. */
  workerLost(worker: WorkerRecord, reason: string): void {
    for (const [taskId, active] of this.#active) {
      if (active.worker !== worker || active.stages.stage === 'result') continue;
      this.#active.delete(taskId);
      active.stages.move('abandoned');
      active.resolve({ kind: 'lost', reason: `worker ${worker.id} lost: ${reason}` });
    }
  }

  cancelAll(reason: string): void {
    for (const [taskId, active] of this.#active) {
      if (active.stages.stage === 'result') continue;
      this.#active.delete(taskId);
      active.stages.move('abandoned');
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
    if (active.stages.stage === 'result') return;
    active.stages.advanceTo('result');
    let { result } = message;
    try {
      // A worker elsewhere hands back its change as a bundle: taken into the attempt's worktree here, checked as untrusted.
      result = await this.options.remote.takeIn(active.task, attempt, result, active.root);
    } catch (error) {
      result = failedResult(error, 'result_rejected');
    }
    this.options.record({ type: 'task.result', taskId, attempt, workerId: worker.id, result });
    this.#applied.add(key);
    this.#active.delete(taskId);
    // The worker forgets a result once it is acknowledged, so the ack waits for the disk.
    await this.options.durable();
    worker.peer?.send({ type: 'task.ack', taskId, attempt });
    this.options.registry.release(worker);
    active.resolve({ kind: 'result', result });
  }

  async #context(task: TaskSpec, attempt: number, prepared: PreparedTask, worker: WorkerRecord): Promise<{ context: TaskContext; root: string | undefined }> {
    const local = worker.sharedFs && !worker.remote;
    // A worker elsewhere gets the commit to start from instead of a path on this machine.
    const base = local ? undefined : await this.options.remote.baseFor(task, attempt, prepared.root ?? this.options.repoRoot);
    const context: TaskContext = {
      runId: this.options.runId,
      dependencies: await this.options.dependencies(task),
      memory: prepared.memory ?? [],
      budget: prepared.budget ?? this.options.defaultBudget,
      ...(prepared.model ? { model: prepared.model } : {}),
      ...(prepared.conflict ? { conflict: prepared.conflict } : {}),
      ...(prepared.checkFailure ? { checkFailure: prepared.checkFailure } : {}),
      ...(prepared.leaseWait ? { leaseWait: prepared.leaseWait } : {}),
      ...(prepared.settings ? { settings: prepared.settings } : {}),
      ...(local ? { root: prepared.root ?? this.options.repoRoot, scratchpadDir: this.options.scratchpadDir } : {}),
      ...(base ? { base } : {}),
    };
    return { context, root: prepared.root };
  }
}
