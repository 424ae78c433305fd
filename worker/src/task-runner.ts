import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  CancelledError,
  failedResult,
  formatZodError,
  InvalidResultError,
  RoleRefusedError,
  TaskResultBody,
  type CoordinatorMessage,
  type MessageOf,
  type Outgoing,
  type TaskContext,
  type WorkerMessage,
  type TaskMemory,
  type TaskScratchpad,
} from '@coordinate/protocol';
import type { TaskExecution, TaskExecutor } from './executor.js';
import type { WorkerLimits } from './limits.js';
import type { RemoteWorkspace } from './remote-workspace.js';

type Assign = MessageOf<CoordinatorMessage, 'task.assign'>;
type ResultMessage = Outgoing<MessageOf<WorkerMessage, 'task.result'>>;

interface RunningTask {
  taskId: string;
  attempt: number;
  controller: AbortController;
  /** Steering notes not yet taken by the executor. */
  notes: string[];
  /** Set once the executor finished: kept and resent until the coordinator acknowledges it. */
  result?: ResultMessage;
  settled: Promise<void>;
}

export interface TaskRunnerOptions {
  executor: TaskExecutor;
  send(message: Outgoing<WorkerMessage>): boolean;
  scratchpadFor(context: TaskContext, taskId: string): TaskScratchpad;
  memory(taskId: string): TaskMemory;
  reservations(taskId: string, attempt: number): TaskExecution['reserve'];
  leases(taskId: string, attempt: number): NonNullable<TaskExecution['lease']>;
  logger: Logger;
  limits: WorkerLimits;
  /** Runs each attempt in a clone of its own, for a worker without the coordinator's filesystem. */
  workspace?: RemoteWorkspace;
}

const keyOf = (taskId: string, attempt: number) => `${taskId}#${attempt}`;

/**
 * Runs assigned tasks and holds each result until `task.ack`, so a dropped connection neither
 * loses a result nor, since the coordinator fences by attempt, applies it twice.
 */
export class TaskRunner {
  readonly #tasks = new Map<string, RunningTask>();

  constructor(private readonly options: TaskRunnerOptions) {}

  assign(message: Assign): void {
    const { taskId, attempt } = message;
    const known = this.#tasks.get(keyOf(taskId, attempt));
    if (known) {
      // A repeated assignment (after a reconnect): answer with where we are, never run twice.
      this.options.send(known.result ?? { type: 'task.accepted', taskId, attempt });
      return;
    }
    const controller = new AbortController();
    const entry: RunningTask = { taskId, attempt, controller, notes: [], settled: Promise.resolve() };
    this.#tasks.set(keyOf(taskId, attempt), entry);
    this.options.send({ type: 'task.accepted', taskId, attempt });
    entry.settled = this.#execute(message, entry);
  }

  acknowledge(taskId: string, attempt: number): void {
    const entry = this.#tasks.get(keyOf(taskId, attempt));
    if (entry?.result) this.#tasks.delete(keyOf(taskId, attempt));
  }

  /** The coordinator no longer wants this attempt (it went to another worker): forget it. */
  drop(taskId: string, attempt: number, reason: string): void {
    const entry = this.#tasks.get(keyOf(taskId, attempt));
    if (!entry) return;
    this.options.logger.info({ taskId, attempt, reason }, 'attempt dropped by the coordinator');
    entry.controller.abort(new CancelledError(reason));
    this.#tasks.delete(keyOf(taskId, attempt));
  }

  /** A person's note for a running attempt: its executor takes it at the next model turn. A finished or unknown attempt ignores it. */
  steer(taskId: string, attempt: number, note: string): void {
    const entry = this.#tasks.get(keyOf(taskId, attempt));
    if (!entry || entry.result) return;
    entry.notes.push(note);
  }

  cancel(taskId: string, attempt: number, reason: string): void {
    this.drop(taskId, attempt, reason);
  }

  /** Aborts every running task and waits (bounded) for their executors to return. */
  async cancelAll(reason: string, waitMs = 2_000): Promise<void> {
    const settling = [...this.#tasks.values()].map((entry) => {
      entry.controller.abort(new CancelledError(reason));
      return entry.settled;
    });
    this.#tasks.clear();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    await Promise.race([Promise.allSettled(settling), timeout]);
    clearTimeout(timer);
  }

  resendResults(): void {
    for (const entry of this.#tasks.values()) if (entry.result) this.options.send(entry.result);
  }

  /** Attempts still running, as heartbeats report them. */
  active(): { taskId: string; attempt: number }[] {
    return [...this.#tasks.values()].filter((e) => !e.result).slice(0, 64).map(({ taskId, attempt }) => ({ taskId, attempt }));
  }

  async #execute(message: Assign, entry: RunningTask): Promise<void> {
    const { task, attempt, context, taskId } = message;
    const logger = this.options.logger.child({ taskId, attempt });
    const signal = entry.controller.signal;
    let body: TaskResultBody;
    const { roles } = this.options.limits;
    try {
      if (roles && !roles.includes(task.role)) throw new RoleRefusedError(`this worker takes only ${roles.join(', ')} tasks (its --role), not ${task.role}`);
      const run = (taskContext: TaskContext) => this.#run(message, taskContext, signal, logger, () => entry.notes.splice(0));
      body = this.options.workspace ? await this.options.workspace.within(message, run) : await run(context);
    } catch (error) {
      body = failedResult(error, 'executor_error');
    }
    if (signal.aborted) {
      logger.info('attempt ended after cancellation; no result sent');
      return;
    }
    entry.result = { type: 'task.result', id: randomUUID(), taskId, attempt, result: body };
    logger.info({ outcome: body.outcome }, 'task finished');
    this.options.send(entry.result);
  }

  /** One call of the executor in `context`; a result that does not fit the schema becomes a failure. */
  async #run(message: Assign, context: TaskContext, signal: AbortSignal, logger: Logger, takeNotes: () => string[]): Promise<TaskResultBody> {
    const { task, attempt, taskId } = message;
    const returned = await this.options.executor({
      task,
      attempt,
      context,
      signal,
      logger,
      takeNotes,
      scratchpad: this.options.scratchpadFor(context, taskId),
      memory: this.options.memory(taskId),
      reserve: this.options.reservations(taskId, attempt),
      ...(task.role === 'implement' ? { lease: this.options.leases(taskId, attempt) } : {}),
      limits: this.options.limits,
      progress: (event, usage) => {
        if (!signal.aborted) this.options.send({ type: 'task.progress', taskId, attempt, event, ...(usage ? { usage } : {}) });
      },
    });
    const checked = TaskResultBody.safeParse(returned);
    return checked.success ? checked.data : failedResult(new InvalidResultError(`the executor returned an invalid result: ${formatZodError(checked.error)}`), 'executor_error');
  }
}
