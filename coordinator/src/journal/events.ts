import { z } from 'zod';
import { ErrorData, TaskId, TaskResultBody, TaskSpec, Usage } from '@coordinate/protocol';

/** Declares one journal event once; the union and its types derive from the list below. */
function defineEvent<const T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ts: z.number(), ...shape });
}

const attemptRef = { taskId: TaskId, attempt: z.number().int().positive() };

export const RunStarted = defineEvent('run.started', {
  runId: z.string(),
  /** The listen URL, never the token. */
  url: z.string(),
  goal: z.string(),
  tasks: z.array(TaskSpec),
  baseCommit: z.string().optional(),
  workers: z.number().int().nonnegative(),
  /** What drafting and revising the plan spent before the run began: it is the run's spending too. */
  plannerUsage: Usage.optional(),
});
export const RunResumed = defineEvent('run.resumed', { url: z.string() });
export const RunFinished = defineEvent('run.finished', {
  outcome: z.enum(['succeeded', 'failed', 'budget_exhausted', 'interrupted']),
  reason: z.string().optional(),
  usage: Usage.optional(),
});

export const WorkerJoined = defineEvent('worker.joined', { workerId: z.string(), pid: z.number().int(), remote: z.boolean() });
export const WorkerLost = defineEvent('worker.lost', { workerId: z.string(), reason: z.string() });

export const TaskQueued = defineEvent('task.queued', { taskId: TaskId, rank: z.number() });
export const TaskAssigned = defineEvent('task.assigned', { ...attemptRef, workerId: z.string() });
export const TaskStarted = defineEvent('task.started', { ...attemptRef, workerId: z.string() });
export const TaskProgressed = defineEvent('task.progress', { ...attemptRef, summary: z.string(), usage: Usage.optional() });
export const TaskFinished = defineEvent('task.finished', { ...attemptRef, result: TaskResultBody });
export const TaskFailed = defineEvent('task.failed', { ...attemptRef, error: ErrorData, willRetry: z.boolean() });
export const TaskRetried = defineEvent('task.retried', { ...attemptRef, reason: z.string() });
export const TaskSkipped = defineEvent('task.skipped', { taskId: TaskId, reason: z.string() });
export const ResultDropped = defineEvent('result.dropped', { ...attemptRef, workerId: z.string(), reason: z.string() });
export const ToolDenied = defineEvent('tool.denied', { ...attemptRef, tool: z.string(), reason: z.string() });

export const JournalEvent = z.discriminatedUnion('type', [
  RunStarted,
  RunResumed,
  RunFinished,
  WorkerJoined,
  WorkerLost,
  TaskQueued,
  TaskAssigned,
  TaskStarted,
  TaskProgressed,
  TaskFinished,
  TaskFailed,
  TaskRetried,
  TaskSkipped,
  ResultDropped,
  ToolDenied,
]);
export type JournalEvent = z.infer<typeof JournalEvent>;
export type JournalEventOf<T extends JournalEvent['type']> = Extract<JournalEvent, { type: T }>;
/** An event as code appends it: the journal stamps `ts`. */
export type NewJournalEvent = JournalEvent extends infer E ? (E extends JournalEvent ? Omit<E, 'ts'> & { ts?: number } : never) : never;
