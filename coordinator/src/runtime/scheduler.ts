import PQueue from 'p-queue';
import type { ErrorData, TaskResultBody, TaskSpec } from '@coordinate/protocol';
import type { NewJournalEvent } from '../journal/events.js';
import type { AttemptOutcome } from './attempt.js';
import { ReadyQueue, readyPriorities, type OrderingPolicy } from './ready-queue.js';

export type TaskStatus = 'waiting' | 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** Where a task stands when the scheduler starts: fresh, or as a resumed journal left it. */
export interface InitialTaskState {
  status: 'waiting' | 'succeeded' | 'failed' | 'skipped';
  /** The last attempt number handed out; the next attempt gets a higher one. */
  attempt: number;
  result?: TaskResultBody;
}

export interface SchedulerOptions {
  tasks: readonly TaskSpec[];
  /** Failed attempts a task may have before it fails for good (default 2). */
  maxAttempts: number;
  /** Times a task may lose its worker before it fails (a task that kills every worker must end). */
  maxLosses: number;
  policy?: OrderingPolicy;
  initial?: ReadonlyMap<string, InitialTaskState>;
  runAttempt(task: TaskSpec, attempt: number, signal: AbortSignal): Promise<AttemptOutcome>;
  record(event: NewJournalEvent): void;
  /** Asked after each attempt; a reason ends the run early. */
  shouldStop?(): string | undefined;
}

interface TaskState {
  spec: TaskSpec;
  status: TaskStatus;
  attempt: number;
  failures: number;
  losses: number;
  result?: TaskResultBody;
  /** Why it failed for good. */
  reason?: string;
}

export type SchedulerEnd = { kind: 'completed'; succeeded: boolean } | { kind: 'stopped'; reason: string };

/**
 * Runs a valid task graph: ready tasks wait in a p-queue ordered by critical-path rank, as many
 * run at once as there are live workers, failures are retried up to the limit, and a task that
 * fails for good takes its dependents with it (skipped, with the reason).
 */
export class Scheduler {
  readonly #tasks = new Map<string, TaskState>();
  readonly #dependents = new Map<string, string[]>();
  readonly #priority: Map<string, number>;
  readonly #queue = new PQueue<ReadyQueue, { priority?: number; id?: string }>({ concurrency: 1, queueClass: ReadyQueue });
  readonly #abort = new AbortController();
  #finish!: (end: SchedulerEnd) => void;
  readonly #end = new Promise<SchedulerEnd>((resolve) => (this.#finish = resolve));
  #ended = false;

  constructor(private readonly options: SchedulerOptions) {
    this.#priority = readyPriorities(options.tasks, options.policy ?? 'critical-path');
    for (const spec of options.tasks) {
      const initial = options.initial?.get(spec.id);
      this.#tasks.set(spec.id, {
        spec,
        status: initial?.status ?? 'waiting',
        attempt: initial?.attempt ?? 0,
        failures: 0,
        losses: 0,
        ...(initial?.result ? { result: initial.result } : {}),
      });
      this.#dependents.set(spec.id, []);
    }
    for (const spec of options.tasks) for (const dep of spec.dependsOn) this.#dependents.get(dep)?.push(spec.id);
  }

  /** Starts every ready task and resolves when all tasks are settled or the run is stopped. */
  run(): Promise<SchedulerEnd> {
    if (this.#ended) return this.#end;
    for (const state of this.#tasks.values()) {
      if (state.status === 'failed' || state.status === 'skipped') this.#skipDependents(state.spec.id);
    }
    // Everything ready goes in before anything starts, so the first pick is by rank, not plan order.
    this.#queue.pause();
    for (const state of this.#tasks.values()) if (this.#isReady(state)) this.#enqueue(state);
    this.#queue.start();
    this.#checkDone();
    return this.#end;
  }

  /** How many attempts may run at once: the number of live workers (at least one waits for a worker). */
  setConcurrency(workers: number): void {
    this.#queue.concurrency = Math.max(1, workers);
  }

  stop(reason: string): void {
    if (this.#ended) return;
    this.#queue.clear();
    this.#abort.abort();
    this.#conclude({ kind: 'stopped', reason });
  }

  status(taskId: string): TaskStatus | undefined {
    return this.#tasks.get(taskId)?.status;
  }

  resultOf(taskId: string): TaskResultBody | undefined {
    return this.#tasks.get(taskId)?.result;
  }

  #isReady(state: TaskState): boolean {
    return state.status === 'waiting' && state.spec.dependsOn.every((d) => this.#tasks.get(d)?.status === 'succeeded');
  }

  #enqueue(state: TaskState): void {
    const rank = this.#priority.get(state.spec.id) ?? 0;
    state.status = 'queued';
    this.options.record({ type: 'task.queued', taskId: state.spec.id, rank });
    void this.#queue.add(() => this.#runAttempt(state), { priority: rank, id: state.spec.id });
  }

  async #runAttempt(state: TaskState): Promise<void> {
    if (this.#ended) return;
    state.status = 'running';
    const attempt = ++state.attempt;
    let outcome: AttemptOutcome;
    try {
      outcome = await this.options.runAttempt(state.spec, attempt, this.#abort.signal);
    } catch (error) {
      outcome = { kind: 'lost', reason: `dispatch failed: ${(error as Error).message}` };
    }
    if (this.#ended || outcome.kind === 'cancelled') return;
    if (outcome.kind === 'lost') this.#lost(state, attempt, outcome.reason);
    else if (outcome.result.outcome === 'succeeded') this.#succeeded(state, outcome.result);
    else this.#failed(state, attempt, outcome.result.error ?? { code: 'task_failed', message: outcome.result.summary }, outcome.result);
    const reason = this.options.shouldStop?.();
    if (reason !== undefined && !this.#ended) this.stop(reason);
    else this.#checkDone();
  }

  #succeeded(state: TaskState, result: TaskResultBody): void {
    state.status = 'succeeded';
    state.result = result;
    for (const id of this.#dependents.get(state.spec.id) ?? []) {
      const dependent = this.#tasks.get(id)!;
      if (this.#isReady(dependent)) this.#enqueue(dependent);
    }
  }

  #failed(state: TaskState, attempt: number, error: ErrorData, result?: TaskResultBody): void {
    state.failures++;
    // A result that failed without an error is the task's own verdict (tests that fail, a bug it
    // could not fix), and an error marked not retryable would only come again: running the task
    // again would repeat the same work, so only the other errors are retried.
    const verdict = result !== undefined && (result.error === undefined || result.error.retryable === false);
    const willRetry = !verdict && state.failures < this.options.maxAttempts;
    this.options.record({ type: 'task.failed', taskId: state.spec.id, attempt, error, willRetry });
    if (willRetry) {
      this.options.record({ type: 'task.retried', taskId: state.spec.id, attempt, reason: error.message });
      this.#enqueue(state);
      return;
    }
    state.status = 'failed';
    state.reason = error.message;
    if (result) state.result = result;
    this.#skipDependents(state.spec.id);
  }

  #lost(state: TaskState, attempt: number, reason: string): void {
    state.losses++;
    if (state.losses > this.options.maxLosses) {
      state.failures = this.options.maxAttempts;
      this.#failed(state, attempt, { code: 'worker_lost', message: `${reason} (lost its worker ${state.losses} times)` });
      return;
    }
    this.options.record({ type: 'task.retried', taskId: state.spec.id, attempt, reason });
    this.#enqueue(state);
  }

  /** Skips every task that can no longer run because `id` failed or was skipped. */
  #skipDependents(id: string): void {
    const stack = [id];
    while (stack.length > 0) {
      const cause = stack.pop()!;
      const causeState = this.#tasks.get(cause)!;
      for (const dependentId of this.#dependents.get(cause) ?? []) {
        const dependent = this.#tasks.get(dependentId)!;
        if (dependent.status !== 'waiting') continue;
        dependent.status = 'skipped';
        const how = causeState.status === 'failed' ? `failed: ${causeState.reason ?? causeState.result?.summary ?? 'no reason recorded'}` : 'was skipped';
        this.options.record({ type: 'task.skipped', taskId: dependentId, reason: `depends on "${cause}", which ${how}`.slice(0, 2000) });
        stack.push(dependentId);
      }
    }
  }

  #checkDone(): void {
    if (this.#ended) return;
    const states = [...this.#tasks.values()];
    if (states.some((s) => s.status === 'waiting' || s.status === 'queued' || s.status === 'running')) return;
    this.#conclude({ kind: 'completed', succeeded: states.every((s) => s.status === 'succeeded') });
  }

  #conclude(end: SchedulerEnd): void {
    this.#ended = true;
    this.#finish(end);
  }
}
