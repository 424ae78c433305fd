import { z } from 'zod';
import { ErrorData, RunOutcome, TaskId, TaskResultBody, TaskSpec, Usage } from '@coordinate/protocol';

/** Declares one journal event once; the union and its types derive from the list below. */
function defineEvent<const T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ type: z.literal(type), ts: z.number(), ...shape });
}

const attemptRef = { taskId: TaskId, attempt: z.number().int().positive() };

/**
 * The journal format this coordinate writes, in `run.started`. Version 1 journals (written before
 * the field existed) read the same way; a newer version is refused by name, never half-understood.
 * 2: tasks stopped by a budget or an outage are `interrupted`; the run outcome `api_unavailable`;
 * fix rounds are `tasks.added` events in the one session, not new `run.started` sessions.
 * 3: a task's stages are events of their own: `task.result` (the worker's result, journaled before
 * it is acknowledged), `task.merged` (its work landed on the run branch), then `task.finished`;
 * `task.steered` holds a person's note to a running task.
 * 4: `task.queued` reserves the attempt number the task's next attempt gets, and it is on disk
 * before any worker hears of that attempt; `task.assigned` is no longer synced before the worker is
 * told, so a resume takes the next attempt above every reserved one (in versions 1 to 3 every
 * handed-out attempt has a synced `task.assigned`, and those reserve nothing).
 */
export const JOURNAL_VERSION = 4;

export const RunStarted = defineEvent('run.started', {
  /** Absent in version 1 journals. */
  journalVersion: z.number().int().positive().optional(),
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

/** Why the graph grew while the run ran. */
export const GrowthReason = z.object({
  /** `fix`: a verification failed; `conflict`: a merge conflicted; `steer`: a person added it. */
  kind: z.enum(['fix', 'conflict', 'steer']),
  /** The task that caused it (the failed verification), when there is one. */
  after: TaskId.optional(),
  /** Which fix round of that verification's chain this is, counting from 1. */
  round: z.number().int().positive().optional(),
  detail: z.string().max(2000).optional(),
});
export type GrowthReason = z.infer<typeof GrowthReason>;

/** Tasks joined the running graph; journaled before they are queued, so a replay rebuilds the same graph. */
export const TasksAdded = defineEvent('tasks.added', { tasks: z.array(TaskSpec).min(1), reason: GrowthReason });
export const RunFinished = defineEvent('run.finished', {
  outcome: RunOutcome,
  reason: z.string().optional(),
  usage: Usage.optional(),
});

export const WorkerJoined = defineEvent('worker.joined', { workerId: z.string(), pid: z.number().int(), remote: z.boolean() });
export const WorkerLost = defineEvent('worker.lost', { workerId: z.string(), reason: z.string() });

export const TaskQueued = defineEvent('task.queued', {
  taskId: TaskId,
  rank: z.number(),
  /** The attempt number this queuing reserves (absent before version 4): no resume hands it out again. */
  attempt: attemptRef.attempt.optional(),
});
export const TaskAssigned = defineEvent('task.assigned', { ...attemptRef, workerId: z.string() });
export const TaskStarted = defineEvent('task.started', { ...attemptRef, workerId: z.string() });
export const TaskProgressed = defineEvent('task.progress', { ...attemptRef, summary: z.string(), usage: Usage.optional() });
/** A person's note (`coordinate steer`) sent into a running attempt's conversation. */
export const TaskSteered = defineEvent('task.steered', { ...attemptRef, note: z.string() });
/** The stage `result`: the worker's result as it sent it, on disk before the worker is told `task.ack`. */
export const TaskResultTaken = defineEvent('task.result', { ...attemptRef, workerId: z.string(), result: TaskResultBody });
/** The stage `merged`: an implementation's work landed on the run branch, at `runHead`. */
export const TaskMerged = defineEvent('task.merged', { ...attemptRef, runHead: z.string(), changedFiles: z.array(z.string()) });
/** The stage `recorded`: the task's verdict (evidence checked, merge done), which the scheduler acts on. */
export const TaskFinished = defineEvent('task.finished', { ...attemptRef, result: TaskResultBody });
export const TaskFailed = defineEvent('task.failed', { ...attemptRef, error: ErrorData, willRetry: z.boolean() });
export const TaskRetried = defineEvent('task.retried', { ...attemptRef, reason: z.string() });
export const TaskSkipped = defineEvent('task.skipped', { taskId: TaskId, reason: z.string() });
export const ResultDropped = defineEvent('result.dropped', { ...attemptRef, workerId: z.string(), reason: z.string() });
export const ToolDenied = defineEvent('tool.denied', { ...attemptRef, tool: z.string(), reason: z.string() });

/** A file lease: an implementation task took a file it writes, was refused one another task holds, or let its files go. */
export const LeaseTaken = defineEvent('lease.taken', { ...attemptRef, path: z.string() });
export const LeaseDenied = defineEvent('lease.denied', { ...attemptRef, path: z.string(), holder: TaskId });
export const LeaseReleased = defineEvent('lease.released', { taskId: TaskId, paths: z.array(z.string()), reason: z.enum(['merged', 'ended']) });

/** The risk tier of a watcher's action (packages/tools' tiers). */
const WatchTier = z.enum(['observe', 'record', 'edit', 'execute', 'external']);

/** One decision of a tick: what was asked, at which tier, what became of it, and the tier's budget left after it. */
export const WatchDecision = z.object({
  action: z.string(),
  tier: WatchTier,
  outcome: z.enum(['done', 'background', 'proposed', 'refused', 'failed']),
  detail: z.string(),
  budgetLeft: z.object({ actions: z.number(), usd: z.number() }),
});
export type WatchDecision = z.infer<typeof WatchDecision>;

export const WatchFindingRecord = z.object({ key: z.string(), level: z.enum(['now', 'digest', 'silent']), title: z.string() });

/** The receipt of one watcher tick: why it woke, what it checked, what changed, what it spent and decided. */
export const WatchTicked = defineEvent('watch.tick', {
  tick: z.number().int().positive(),
  reason: z.enum(['start', 'interval']),
  checked: z.array(z.string()),
  changed: z.array(z.string()),
  findings: z.array(WatchFindingRecord),
  usage: Usage,
  decisions: z.array(WatchDecision),
  durationMs: z.number().nonnegative(),
});
/** A tier's daily action budget moved, earned by an outcome the person chose. */
export const WatchBudgetChanged = defineEvent('watch.budget', { tier: WatchTier, from: z.number(), to: z.number(), reason: z.string() });

export const JournalEvent = z.discriminatedUnion('type', [
  RunStarted,
  RunResumed,
  TasksAdded,
  RunFinished,
  WorkerJoined,
  WorkerLost,
  TaskQueued,
  TaskAssigned,
  TaskStarted,
  TaskProgressed,
  TaskResultTaken,
  TaskMerged,
  TaskSteered,
  TaskFinished,
  TaskFailed,
  TaskRetried,
  TaskSkipped,
  ResultDropped,
  ToolDenied,
  LeaseTaken,
  LeaseDenied,
  LeaseReleased,
  WatchTicked,
  WatchBudgetChanged,
]);
export type JournalEvent = z.infer<typeof JournalEvent>;
export type JournalEventOf<T extends JournalEvent['type']> = Extract<JournalEvent, { type: T }>;
/** An event as code appends it: the journal stamps `ts`. */
export type NewJournalEvent = JournalEvent extends infer E ? (E extends JournalEvent ? Omit<E, 'ts'> & { ts?: number } : never) : never;
