import type { Logger } from 'pino';
import type { BudgetRefusal } from '@coordinate/model';
import type { FileLease } from '@coordinate/tools';
import type {
  MemoryKind,
  MemorySnippet,
  ProgressEvent,
  TaskContext,
  TaskResultBody,
  TaskSpec,
  Usage,
} from '@coordinate/protocol';
import type { WorkerLimits } from './limits.js';

/** A task's own view of the run scratchpad: it reads everything and writes under its own folder. */
export interface TaskScratchpad {
  read(name: string): Promise<string | undefined>;
  list(prefix?: string): Promise<string[]>;
  write(name: string, content: string): Promise<void>;
}

export interface MemoryProposal {
  kind: MemoryKind;
  text: string;
  title?: string;
  tags?: string[];
  files?: string[];
}

/** Team memory as a task reaches it: always through the coordinator, which owns the store. */
export interface TaskMemory {
  search(query: string, files?: string[]): Promise<MemorySnippet[]>;
  /** Resolves with what the store did with the proposal, or undefined when the coordinator keeps no memory. */
  propose(proposal: MemoryProposal): Promise<{ id: string; action: string } | undefined>;
}

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
