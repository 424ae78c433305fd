import { z } from 'zod';
import { ErrorData } from './errors.js';
import { BundleRef, bundleData, bundleOffset, TaskBase, TaskChange } from './bundle.js';
import { CommandRun, ConflictedFile, Evidence, MemoryKind, MemorySnippet, Outcome, Role, TaskId, TaskSpec, Usage } from './domain.js';

export const PROTOCOL_VERSION = 1;

const envelope = {
  v: z.literal(PROTOCOL_VERSION),
  id: z.string().min(1).max(64),
  ts: z.number(),
  replyTo: z.string().max(64).optional(),
};

/** Declares one message type once; the union, the types and the decoder all derive from these. */
function defineMessage<const T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ ...envelope, type: z.literal(type), ...shape });
}

const attemptRef = { taskId: TaskId, attempt: z.number().int().positive() };
const scratchName = z.string().max(500);

// worker → coordinator

export const Hello = defineMessage('hello', {
  pid: z.number().int(),
  version: z.string().max(64),
  roles: z.array(Role).min(1),
  /** Set when the worker reconnects, so the coordinator knows it again. */
  workerId: z.string().max(64).optional(),
  /** False for a worker started elsewhere: it reaches the scratchpad through the protocol. */
  sharedFs: z.boolean(),
});

export const TaskAccepted = defineMessage('task.accepted', attemptRef);

export const ProgressEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('turn'), turn: z.number().int().nonnegative(), text: z.string().max(4000).optional() }),
  z.object({ kind: z.literal('tool_call'), tool: z.string().max(64), input: z.string().max(4000) }),
  z.object({
    kind: z.literal('tool_result'),
    tool: z.string().max(64),
    ok: z.boolean(),
    summary: z.string().max(4000),
    diff: z.string().max(20_000).optional(),
  }),
  z.object({ kind: z.literal('denied'), tool: z.string().max(64), reason: z.string().max(4000) }),
  z.object({ kind: z.literal('retry'), attempt: z.number().int(), cause: z.string().max(1000), delayMs: z.number() }),
  z.object({ kind: z.literal('log'), message: z.string().max(4000) }),
]);
export type ProgressEvent = z.infer<typeof ProgressEvent>;

export const TaskProgress = defineMessage('task.progress', {
  ...attemptRef,
  event: ProgressEvent,
  usage: Usage.optional(),
});

export const TaskResultBody = z.object({
  outcome: Outcome,
  summary: z.string().max(20_000),
  details: z.string().max(100_000).optional(),
  output: z.unknown().optional(),
  evidence: z.array(Evidence).max(50).optional(),
  /** Commands the worker really ran, so the coordinator can check claimed evidence against them. */
  commandsRun: z.array(CommandRun).max(500).optional(),
  changedFiles: z.array(z.string().max(500)).max(10_000).optional(),
  usage: Usage,
  error: ErrorData.optional(),
  /** A remote implementation's change, uploaded with `bundle.put` before this result. */
  change: TaskChange.optional(),
});
export type TaskResultBody = z.infer<typeof TaskResultBody>;

export const TaskResult = defineMessage('task.result', { ...attemptRef, result: TaskResultBody });

export const MemorySearch = defineMessage('memory.search', {
  query: z.string().max(2000),
  files: z.array(z.string().max(500)).max(200).optional(),
  limit: z.number().int().positive().max(50).optional(),
});

export const MemoryPropose = defineMessage('memory.propose', {
  taskId: TaskId.optional(),
  kind: MemoryKind,
  title: z.string().max(200).optional(),
  text: z.string().min(1).max(10_000),
  tags: z.array(z.string().max(64)).max(20).optional(),
  files: z.array(z.string().max(500)).max(50).optional(),
});

export const ScratchpadRead = defineMessage('scratchpad.read', { name: scratchName });

export const ScratchpadWrite = defineMessage('scratchpad.write', {
  taskId: TaskId,
  name: scratchName.min(1),
  content: z.string().max(4 * 1024 * 1024),
});

/**
 * Asked before every model request of a task: the request's worst case (all its input at the dearer
 * cache-write rate, every allowed output token) is held against the run's budgets until the usage
 * of that request is reported, so parallel tasks can never spend past a run budget together.
 */
export const BudgetReserve = defineMessage('budget.reserve', {
  ...attemptRef,
  /** Tokens the request may take at most: its input plus max_tokens. */
  tokens: z.number().int().nonnegative(),
  /** What the request may cost at most, in US dollars at the run's prices. */
  costUsd: z.number().nonnegative(),
});

/**
 * Asked by an implementation task before it first writes a file: a lease keeps two running tasks
 * from writing one file. `path` is relative to the repository root, as the task's tools show it.
 */
export const LeaseTake = defineMessage('lease.take', { ...attemptRef, path: z.string().min(1).max(1000) });
/** Asks for the next chunk of the attempt's base-commit bundle, from `offset`; answered with `bundle.part`. One request in flight at a time is the backpressure. */
export const BundleGet = defineMessage('bundle.get', { ...attemptRef, offset: bundleOffset });

/** One chunk of the attempt's change bundle, at `offset` of the whole announced by `sha256` and `bytes`; answered with `bundle.stored`. */
export const BundlePut = defineMessage('bundle.put', { ...attemptRef, ...BundleRef.shape, offset: bundleOffset, data: bundleData });

export const Heartbeat = defineMessage('heartbeat', { active: z.array(z.object(attemptRef)).max(64) });

// coordinator → worker

export const Budget = z.object({
  maxTurns: z.number().int().positive(),
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
});
export type Budget = z.infer<typeof Budget>;

export const DependencySummary = z.object({
  id: TaskId,
  title: z.string(),
  role: Role,
  outcome: Outcome,
  summary: z.string().max(20_000),
  notes: z.array(z.string().max(500)).max(100).optional(),
});

/**
 * What an attempt is told when the task's earlier attempt conflicted with work merged meanwhile: it
 * starts again from the run branch as it is now and must keep that work while adding its own.
 */
export const MergeConflictContext = z.object({
  /** The attempt whose change could not be merged. */
  attempt: z.number().int().positive(),
  files: z.array(ConflictedFile).min(1).max(500),
  /** The tasks whose merged work touched those files. */
  metTasks: z.array(z.object({ id: TaskId, title: z.string().max(200) })).max(100),
  /** The branch where the earlier attempt's work is kept until the run ends. */
  keptAt: z.string().max(300),
  /** The earlier attempt's change as a unified diff (cut to fit). */
  ownPatch: z.string().max(40_000),
  /** What the run branch changed in the conflicted files since the earlier attempt started, as a unified diff (cut to fit). */
  runBranchChange: z.string().max(40_000),
});
export type MergeConflictContext = z.infer<typeof MergeConflictContext>;

/**
 * What an attempt is told when the task's earlier attempt merged cleanly but broke the run
 * branch's check (`commands.check`): the merge was taken back and this attempt continues from
 * the earlier work, to make the check pass.
 */
export const MergeCheckFailure = z.object({
  /** The attempt whose merge broke the check. */
  attempt: z.number().int().positive(),
  command: z.string().max(2000),
  /** null when the command was stopped (a timeout) before it exited. */
  exitCode: z.number().int().nullable(),
  /** The end of the command's output, where a failure usually says what went wrong. */
  output: z.string().max(20_000),
});
export type MergeCheckFailure = z.infer<typeof MergeCheckFailure>;

/** An earlier attempt that ended waiting for a file another task held (its lease); the holder has settled since. */
export const LeaseWait = z.object({
  attempt: z.number().int().positive(),
  path: z.string().max(1000),
  holder: TaskId,
});
export type LeaseWait = z.infer<typeof LeaseWait>;

export const TaskContext = z.object({
  runId: z.string().max(64),
  /** The directory the task works in (a worktree for implementation), when the worker shares the filesystem. */
  root: z.string().max(4096).optional(),
  /** The run's scratchpad directory, when the worker shares the filesystem. */
  scratchpadDir: z.string().max(4096).optional(),
  dependencies: z.array(DependencySummary).max(100),
  memory: z.array(MemorySnippet).max(50),
  budget: Budget,
  model: z.string().max(200).optional(),
  /** Set when the task's earlier attempt conflicted with merged work. */
  conflict: MergeConflictContext.optional(),
  /** Set when the task's earlier attempt broke the run branch's check once merged. */
  checkFailure: MergeCheckFailure.optional(),
  /** Set when the task's earlier attempt ended waiting for a file lease. */
  leaseWait: LeaseWait.optional(),
  /** Set for a worker without the repository: the commit the task starts from, fetched with `bundle.get` (or from its own clone). */
  base: TaskBase.optional(),
  /** Executor-specific settings (model parameters, policy); validated by the executor that reads them. */
  settings: z.record(z.string(), z.unknown()).optional(),
});
export type TaskContext = z.infer<typeof TaskContext>;

export const Welcome = defineMessage('welcome', {
  workerId: z.string().max(64),
  runId: z.string().max(64),
  heartbeatMs: z.number().int().positive(),
});

export const TaskAssign = defineMessage('task.assign', { ...attemptRef, task: TaskSpec, context: TaskContext });

export const TaskAck = defineMessage('task.ack', attemptRef);

export const TaskCancel = defineMessage('task.cancel', { ...attemptRef, reason: z.string().max(1000) });

/** The longest note a person may steer a running task with. */
export const MAX_STEER_NOTE = 4000;

/** A person's note for a running attempt (`coordinate steer`): the worker puts it in the conversation at the next model turn. */
export const TaskSteer = defineMessage('task.steer', { ...attemptRef, note: z.string().min(1).max(MAX_STEER_NOTE) });

export const MemoryResults = defineMessage('memory.results', {
  entries: z.array(MemorySnippet).max(50),
  admitted: z.object({ id: z.string().max(64), action: z.string().max(32) }).optional(),
});

export const ScratchpadContent = defineMessage('scratchpad.content', {
  name: scratchName,
  exists: z.boolean(),
  content: z.string().max(4 * 1024 * 1024).optional(),
  /** Set when `name` is a folder: the files below it. */
  entries: z.array(z.string().max(500)).max(10_000).optional(),
});

/** A chunk of the base-commit bundle, in reply to `bundle.get`: `data` holds the bytes from `offset`; the bundle is whole at `bytes`. */
export const BundlePart = defineMessage('bundle.part', { ...BundleRef.shape, offset: bundleOffset, data: bundleData });

/** The reply to `bundle.put`: how many bytes of the change the coordinator holds, in order from the start. */
export const BundleStored = defineMessage('bundle.stored', { received: bundleOffset });

/** The answer to `budget.reserve`: granted, unless `refused` names the run budget that cannot cover the request. */
export const BudgetReply = defineMessage('budget.reply', {
  refused: z.object({ budget: z.enum(['maxTokens', 'maxCostUsd']), reason: z.string().max(1000) }).optional(),
});

/** The answer to `lease.take` when the file is free or already the task's own. */
export const LeaseGranted = defineMessage('lease.granted', { path: z.string().max(1000) });

/** The answer to `lease.take` when another running task holds the file: who, and what it is doing. */
export const LeaseDenied = defineMessage('lease.denied', {
  path: z.string().max(1000),
  holder: z.object({ taskId: TaskId, title: z.string().max(200), doing: z.string().max(500).optional() }),
});

export const Shutdown = defineMessage('shutdown', { reason: z.string().max(1000) });

export const ErrorMessage = defineMessage('error', { error: ErrorData });

export const WorkerMessage = z.discriminatedUnion('type', [
  Hello,
  TaskAccepted,
  TaskProgress,
  TaskResult,
  MemorySearch,
  MemoryPropose,
  ScratchpadRead,
  ScratchpadWrite,
  BudgetReserve,
  LeaseTake,
  BundleGet,
  BundlePut,
  Heartbeat,
  ErrorMessage,
]);
export type WorkerMessage = z.infer<typeof WorkerMessage>;

export const CoordinatorMessage = z.discriminatedUnion('type', [
  Welcome,
  TaskAssign,
  TaskAck,
  TaskCancel,
  TaskSteer,
  MemoryResults,
  ScratchpadContent,
  BudgetReply,
  LeaseGranted,
  LeaseDenied,
  BundlePart,
  BundleStored,
  Shutdown,
  ErrorMessage,
]);
export type CoordinatorMessage = z.infer<typeof CoordinatorMessage>;

export type Message = WorkerMessage | CoordinatorMessage;
export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
/** A message as a sender writes it: the envelope fields are filled in by `encode`. */
export type Outgoing<U extends Message> = U extends unknown
  ? Omit<U, 'v' | 'id' | 'ts'> & { id?: string; ts?: number }
  : never;
