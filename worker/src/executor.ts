import type { Logger } from 'pino';
import type { BudgetRefusal } from '@coordinate/model';
import type { FileLease } from '@coordinate/tools';
import type {
  ProgressEvent,
  TaskContext,
  TaskMemory,
  TaskResultBody,
  TaskScratchpad,
  TaskSpec,
  Usage,
} from '@coordinate/protocol';
import type { WorkerLimits } from './limits.js';

/** Everything an executor gets for one attempt of one task. */
export interface TaskExecution {
  task: TaskSpec;
  attempt: number;
  context: TaskContext;
  /** Aborted on task.cancel, shutdown, or when the coordinator is gone for good. */
  signal: AbortSignal;
  /**
   * The notes a person sent this attempt (`coordinate steer`) since the last call, oldest first; an
   * executor that talks to a model puts them in the conversation at its next turn.
   */
  takeNotes: () => string[];
  /** Streams a progress event to the coordinator; dropped silently while disconnected. */
  progress(event: ProgressEvent, usage?: Usage): void;
  /** Holds a model request's worst case against the run's budgets before it is sent; resolves with a refusal, or undefined when granted. */
  reserve: (request: { tokens: number; costUsd: number }) => Promise<BudgetRefusal | undefined>;
  /** Takes the task's lease on a file before its first write (absent: every write allowed, as outside a run). */
  lease?: FileLease;
  scratchpad: TaskScratchpad;
  memory: TaskMemory;
  logger: Logger;
  /** What this worker allows itself; the task's settings can only narrow it. */
  limits: WorkerLimits;
}

/**
 * Runs one task attempt to its result. A thrown error becomes a failed result carrying the
 * error's code, so an executor only has to return for outcomes it decided on.
 */
export type TaskExecutor = (execution: TaskExecution) => Promise<TaskResultBody>;

/**
 * Executors by name, as `--executor NAME` selects them. Built-ins are registered by
 * `./executors/index.js`; another package adds its own with `executors.set(name, factory)`
 * in a module that the worker entry imports.
 */
export const executors = new Map<string, () => TaskExecutor>();
