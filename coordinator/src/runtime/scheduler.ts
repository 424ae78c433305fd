import PQueue from 'p-queue';
import { LeaseWaitError, rebuildError, stopOutcomeOf, TaskFailedError, WorkerLostError, type ErrorData, type RunOutcome, type TaskResultBody, type TaskSpec } from '@coordinate/protocol';
import type { GrowthReason, NewJournalEvent } from '../journal/events.js';
import type { AttemptOutcome } from './attempt.js';
import { ReadyQueue, readyPriorities, type OrderingPolicy } from './ready-queue.js';

export type TaskStatus = 'waiting' | 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped';

/** Where a task stands when the scheduler starts: fresh, or as a resumed journal left it. */
export interface InitialTaskState {
  status: 'waiting' | 'succeeded' | 'failed' | 'skipped';
  /** The last attempt number handed out; the next attempt gets a higher one. */
  attempt: number;
  result?: TaskResultBody;
  /** Its attempt `attempt` ended to wait for a file lease (`lease_wait`): it waits for the holder as it did (see `leaseRefusal`). */
  leaseWait?: boolean;
}

/** What a growth decision may look up in the running graph. */
export interface GraphView {
  spec(taskId: string): TaskSpec | undefined;
  succeeded(taskId: string): boolean;
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
  record: (event: NewJournalEvent) => void;
  /** Asked after each attempt; a reason ends the run early. */
  shouldStop?(): string | undefined;
  /**
   * Asked when a task failed for good: tasks that take it over (a fix and a re-verify), with why.
   * They are journaled as `tasks.added` and queued in this same run.
   */
  grow?(task: TaskSpec, result: TaskResultBody | undefined, graph: GraphView): { tasks: TaskSpec[]; reason: GrowthReason } | undefined;
  /**
   * Asked when an attempt failed, before any retry: one task that takes the failed one over (a
   * resolution of a merge conflict), with why. The failed task then ends, and its dependents wait
   * for the one that took over instead of being skipped.
   */
  takeOver?(task: TaskSpec, result: TaskResultBody | undefined): { task: TaskSpec; reason: GrowthReason } | undefined;
  /** Which task took over which (failed task → its replacement), from a resumed run's journal. */
  takenOver?: ReadonlyMap<string, string>;
  /** Told of tasks added to the graph, once they are journaled and before any is handed out. */
  onAdded?(tasks: readonly TaskSpec[]): void;
  /** The file lease an attempt was refused, if any (see `FileLeases.refusal`). */
  leaseRefusal?(taskId: string, attempt: number): { path: string; holder: string } | undefined;
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

/** How the scheduler ended; a stop names the run outcome when an attempt's error decided it (a budget, an outage). */
export type SchedulerEnd = { kind: 'completed'; succeeded: boolean } | { kind: 'stopped'; reason: string; outcome?: RunOutcome };

/**
 * Runs a valid task graph: ready tasks wait in a p-queue ordered by critical-path rank, as many
 * run at once as there are live workers, failures are retried up to the limit, and a task that
 * fails for good takes its dependents with it (skipped, with the reason).
 */
export class Scheduler {
  readonly #tasks = new Map<string, TaskState>();
  readonly #dependents = new Map<string, string[]>();
  /** A failed task → the task that took it over: a dependency on the first is met once the second succeeded. */
  readonly #takenOver = new Map<string, string>();
  /** How many tasks stand at each status, so telling whether the run is over costs nothing per attempt. */
  readonly #counts: Record<TaskStatus, number> = { waiting: 0, queued: 0, running: 0, succeeded: 0, failed: 0, skipped: 0 };
  /** A task that ended waiting for a file lease → the task holding it: it is queued again once the holder settles. */
  readonly #awaiting = new Map<string, string>();
  #priority: Map<string, number>;
  readonly #queue = new PQueue<ReadyQueue, { priority?: number; id?: string }>({ concurrency: 1, queueClass: ReadyQueue });
  readonly #abort = new AbortController();
  #finish!: (end: SchedulerEnd) => void;
  readonly #end = new Promise<SchedulerEnd>((resolve) => (this.#finish = resolve));
  #ended = false;

  constructor(private readonly options: SchedulerOptions) {
    this.#priority = readyPriorities(options.tasks, options.policy ?? 'critical-path');
    this.#insert(options.tasks);
    for (const [from, to] of options.takenOver ?? []) this.#linkTakeOver(from, to);
  }

  /** The dependents of `from` wait for `to` from now on (they are its dependents too). */
  #linkTakeOver(from: string, to: string): void {
    if (!this.#tasks.has(from) || !this.#tasks.has(to)) return;
    this.#takenOver.set(from, to);
    this.#dependents.get(to)!.push(...(this.#dependents.get(from) ?? []));
  }

  /** A dependency is met when it succeeded, or when the task that took it over did. */
  #met(id: string): boolean {
    const seen = new Set<string>();
    for (let at: string | undefined = id; at !== undefined && !seen.has(at); at = this.#takenOver.get(at)) {
      seen.add(at);
      const status = this.#tasks.get(at)?.status;
      if (status === 'succeeded') return true;
      if (status !== 'failed') return false;
    }
    return false;
  }

  #insert(specs: readonly TaskSpec[]): void {
    for (const spec of specs) {
      const initial = this.options.initial?.get(spec.id);
      this.#counts[initial?.status ?? 'waiting']++;
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
    for (const spec of specs) for (const dep of spec.dependsOn) this.#dependents.get(dep)?.push(spec.id);
  }

  /**
   * Grows the running graph: the tasks are journaled (`tasks.added`, with the reason) before they are
   * queued, their ranks are recomputed with the rest, and those whose dependencies are done start.
   */
  addTasks(specs: readonly TaskSpec[], reason: GrowthReason): void {
    const fresh = specs.filter((spec) => !this.#tasks.has(spec.id));
    if (this.#ended || fresh.length === 0) return;
    this.options.record({ type: 'tasks.added', tasks: [...fresh], reason });
    this.#insert(fresh);
    this.#priority = readyPriorities(
      [...this.#tasks.values()].map((state) => state.spec),
      this.options.policy ?? 'critical-path',
    );
    this.options.onAdded?.(fresh);
    for (const spec of fresh) {
      const state = this.#tasks.get(spec.id)!;
      if (this.#isReady(state)) this.#enqueue(state);
    }
  }

  /** Starts every ready task and resolves when all tasks are settled or the run is stopped. */
  run(): Promise<SchedulerEnd> {
    if (this.#ended) return this.#end;
    for (const state of this.#tasks.values()) {
      const takenOver = state.status === 'failed' && this.#takenOver.has(state.spec.id);
      if (!takenOver && (state.status === 'failed' || state.status === 'skipped')) this.#skipDependents(state.spec.id);
    }
    // A resumed task that had ended waiting for a file lease waits for its holder again.
    for (const state of this.#tasks.values()) {
      const refusal = this.options.initial?.get(state.spec.id)?.leaseWait ? this.options.leaseRefusal?.(state.spec.id, state.attempt) : undefined;
      if (state.status === 'waiting' && refusal) this.#wait(state.spec.id, refusal.holder);
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

  stop(reason: string, outcome?: RunOutcome): void {
    if (this.#ended) return;
    this.#queue.clear();
    this.#abort.abort();
    this.#conclude({ kind: 'stopped', reason, ...(outcome ? { outcome } : {}) });
  }

  status(taskId: string): TaskStatus | undefined {
    return this.#tasks.get(taskId)?.status;
  }

  /** Every task of the running graph, those added while it ran included. */
  specs(): TaskSpec[] {
    return [...this.#tasks.values()].map((state) => state.spec);
  }

  resultOf(taskId: string): TaskResultBody | undefined {
    return this.#tasks.get(taskId)?.result;
  }

  #isReady(state: TaskState): boolean {
    return state.status === 'waiting' && !this.#awaiting.has(state.spec.id) && state.spec.dependsOn.every((d) => this.#met(d));
  }

  /** Whether a task may still change what it holds: it has not settled. */
  #unsettled(taskId: string): boolean {
    const status = this.#tasks.get(taskId)?.status;
    return status === 'waiting' || status === 'queued' || status === 'running';
  }

  /**
   * An attempt that ended to wait for a file lease it was refused (`lease_wait`) gave its
   * worker back, and the task goes out again (from the run branch's head, with the holder's work)
   * once the holder settles. Waiting is not a failure, so it costs none of the task's attempts.
   */
  #awaitLease(state: TaskState, attempt: number, error: ErrorData, refusal: { path: string; holder: string }): void {
    this.options.record({ type: 'task.failed', taskId: state.spec.id, attempt, error, willRetry: true });
    this.options.record({ type: 'task.retried', taskId: state.spec.id, attempt, reason: `waits for ${refusal.path}, leased by ${refusal.holder}` });
    this.#setStatus(state, 'waiting');
    if (!this.#wait(state.spec.id, refusal.holder)) this.#enqueue(state);
  }

  /**
   * Makes `taskId` wait for `holder` to settle; false when it need not (the holder has settled) or
   * must not: two tasks that each ended waiting for the other's file would wait forever.
   */
  #wait(taskId: string, holder: string): boolean {
    let cycle = false;
    for (let at: string | undefined = holder; at !== undefined && !cycle; at = this.#awaiting.get(at)) cycle = at === taskId;
    if (!this.#unsettled(holder) || cycle) return false;
    this.#awaiting.set(taskId, holder);
    return true;
  }

  /** Queues the tasks whose lease holder has settled. */
  #wakeAwaiting(): void {
    for (const [taskId, holder] of this.#awaiting) {
      if (this.#unsettled(holder)) continue;
      this.#awaiting.delete(taskId);
      const state = this.#tasks.get(taskId)!;
      if (this.#isReady(state)) this.#enqueue(state);
    }
  }

  /** Queues the task's next attempt, reserving its number in the journal (see `AttemptReservations`). */
  #enqueue(state: TaskState): void {
    const rank = this.#priority.get(state.spec.id) ?? 0;
    this.#setStatus(state, 'queued');
    this.options.record({ type: 'task.queued', taskId: state.spec.id, rank, attempt: state.attempt + 1 });
    void this.#queue.add(() => this.#runAttempt(state), { priority: rank, id: state.spec.id });
  }

  async #runAttempt(state: TaskState): Promise<void> {
    if (this.#ended) return;
    this.#setStatus(state, 'running');
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
    else {
      const error = outcome.result.error ?? new TaskFailedError(outcome.result.summary.slice(0, 4000)).toData();
      // A budget or an outage stopped the attempt: no verdict, so the task waits and the run stops resumably.
      const stop = stopOutcomeOf(rebuildError(error).exit);
      if (stop) {
        this.#setStatus(state, 'waiting');
        this.stop(error.message, stop);
        return;
      }
      // Only an attempt that ended to wait (its error's code) waits, and only for a lease this run did refuse it.
      const refusal = error.code === LeaseWaitError.code ? this.options.leaseRefusal?.(state.spec.id, attempt) : undefined;
      if (refusal && refusal.holder !== state.spec.id) this.#awaitLease(state, attempt, error, refusal);
      else this.#failed(state, attempt, error, outcome.result);
    }
    this.#wakeAwaiting();
    const reason = this.options.shouldStop?.();
    if (reason !== undefined && !this.#ended) this.stop(reason);
    else this.#checkDone();
  }

  #succeeded(state: TaskState, result: TaskResultBody): void {
    this.#setStatus(state, 'succeeded');
    state.result = result;
    for (const id of this.#dependents.get(state.spec.id) ?? []) {
      const dependent = this.#tasks.get(id)!;
      if (this.#isReady(dependent)) this.#enqueue(dependent);
    }
  }

  #failed(state: TaskState, attempt: number, error: ErrorData, result?: TaskResultBody): void {
    state.failures++;
    const replacement = this.options.takeOver?.(state.spec, result);
    if (replacement && !this.#tasks.has(replacement.task.id)) {
      this.options.record({ type: 'task.failed', taskId: state.spec.id, attempt, error, willRetry: false });
      this.#setStatus(state, 'failed');
      state.reason = error.message;
      if (result) state.result = result;
      this.addTasks([replacement.task], replacement.reason);
      this.#linkTakeOver(state.spec.id, replacement.task.id);
      return;
    }
    // Whether another attempt could end differently is the error's own policy: a task's verdict
    // (task_failed) or a refused request would repeat; a crashed executor or a lost worker may not.
    const willRetry = rebuildError(error).retryable && state.failures < this.options.maxAttempts;
    this.options.record({ type: 'task.failed', taskId: state.spec.id, attempt, error, willRetry });
    if (willRetry) {
      this.options.record({ type: 'task.retried', taskId: state.spec.id, attempt, reason: error.message });
      this.#enqueue(state);
      return;
    }
    this.#setStatus(state, 'failed');
    state.reason = error.message;
    if (result) state.result = result;
    this.#skipDependents(state.spec.id);
    const growth = this.options.grow?.(state.spec, result, {
      spec: (id) => this.#tasks.get(id)?.spec,
      succeeded: (id) => this.#tasks.get(id)?.status === 'succeeded',
    });
    if (growth) this.addTasks(growth.tasks, growth.reason);
  }

  #lost(state: TaskState, attempt: number, reason: string): void {
    state.losses++;
    if (state.losses > this.options.maxLosses) {
      state.failures = this.options.maxAttempts;
      this.#failed(state, attempt, new WorkerLostError(`${reason} (lost its worker ${state.losses} times)`, { losses: state.losses }).toData());
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
        this.#setStatus(dependent, 'skipped');
        const how = causeState.status === 'failed' ? `failed: ${causeState.reason ?? causeState.result?.summary ?? 'no reason recorded'}` : 'was skipped';
        this.options.record({ type: 'task.skipped', taskId: dependentId, reason: `depends on "${cause}", which ${how}`.slice(0, 2000) });
        stack.push(dependentId);
      }
    }
  }

  #setStatus(state: TaskState, status: TaskStatus): void {
    this.#counts[state.status]--;
    this.#counts[status]++;
    state.status = status;
  }

  #checkDone(): void {
    if (this.#ended) return;
    const counts = this.#counts;
    if (counts.waiting + counts.queued + counts.running > 0) return;
    this.#conclude({ kind: 'completed', succeeded: counts.succeeded === this.#tasks.size });
  }

  #conclude(end: SchedulerEnd): void {
    this.#ended = true;
    this.#finish(end);
  }
}
