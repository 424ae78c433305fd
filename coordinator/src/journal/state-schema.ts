import { z } from 'zod';
import { TaskId, TaskResultBody, TaskSpec, Usage } from '@coordinate/protocol';
import { RunFinished } from './events.js';

/** `interrupted`: stopped by a budget, an API outage or a person, with its work kept; a resume runs it again. */
export const TaskStatus = z.enum(['pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'interrupted']);
export type TaskStatus = z.infer<typeof TaskStatus>;

/** One hand-out of a task to a worker, as the journal tells it. */
export const AttemptRecord = z.object({
  attempt: z.number().int().positive(),
  workerId: z.string().optional(),
  /** `abandoned`: retried before a result came (its worker was lost, or it was cancelled). */
  status: z.enum(['running', 'succeeded', 'failed', 'abandoned', 'interrupted']),
  result: TaskResultBody.optional(),
  reason: z.string().optional(),
  /** A result that arrived after a newer attempt took over: kept for the record, never applied. */
  stale: z.boolean().optional(),
  /** What the attempt spent, as its latest progress or its result reported it. */
  usage: Usage.optional(),
});
export type AttemptRecord = z.infer<typeof AttemptRecord>;

export const TaskState = z.object({
  taskId: TaskId,
  status: TaskStatus,
  /** The newest attempt number handed out (0 before the first); a resume continues above it. */
  attempt: z.number().int().nonnegative(),
  workerId: z.string().optional(),
  result: TaskResultBody.optional(),
  /** Why the task failed or was skipped. */
  reason: z.string().optional(),
  attempts: z.array(AttemptRecord),
  /** Everything the task's attempts spent, stale, cancelled and budget-stopped ones included. */
  usage: Usage,
});
export type TaskState = z.infer<typeof TaskState>;

export const WorkerInfo = z.object({
  workerId: z.string(),
  pid: z.number().int().optional(),
  remote: z.boolean().optional(),
  lost: z.boolean(),
  reason: z.string().optional(),
});
export type WorkerInfo = z.infer<typeof WorkerInfo>;

export const RunInfo = z.object({
  runId: z.string(),
  goal: z.string(),
  tasks: z.array(TaskSpec),
  /** The URL of the latest start or resume. */
  url: z.string(),
  baseCommit: z.string().optional(),
  workers: z.number().int().nonnegative(),
  /** What planning spent before the run began. */
  plannerUsage: Usage.optional(),
  startedAt: z.number(),
  resumes: z.number().int().nonnegative(),
  /** Set once the run ended; a later resume clears it. */
  finished: RunFinished.omit({ type: true }).optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const DroppedResult = z.object({ taskId: TaskId, attempt: z.number().int().positive(), workerId: z.string(), reason: z.string() });

export const RunState = z.object({
  /** Absent only for a journal without `run.started`. */
  run: RunInfo.optional(),
  tasks: z.record(z.string(), TaskState),
  workers: z.record(z.string(), WorkerInfo),
  droppedResults: z.array(DroppedResult),
  /** Every model request the run made: the planner's, and each attempt's as far as it reported (progress or result). */
  usage: Usage,
});
export type RunState = z.infer<typeof RunState>;
