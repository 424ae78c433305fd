import type {
  Budget,
  CoordinatorMessage,
  MemorySnippet,
  MergeCheckFailure,
  MergeConflictContext,
  MessageOf,
  ProgressEvent,
  TaskResultBody,
  TaskSpec,
  Usage,
  WorkerMessage,
} from '@coordinate/protocol';

/** What an attempt is handed besides its task: where it works and what it is told. */
export interface PreparedTask {
  /** The directory the task works in (e.g. its git worktree). Default: the repository root. */
  root?: string;
  /** Executor settings, passed through to `context.settings`. */
  settings?: Record<string, unknown>;
  memory?: MemorySnippet[];
  budget?: Budget;
  model?: string;
  /** Set when the task's earlier attempt conflicted with merged work: the worker's prompt names it. */
  conflict?: MergeConflictContext;
  /** Set when the task's earlier attempt broke the run branch's check once merged: the worker's prompt shows the failure. */
  checkFailure?: MergeCheckFailure;
}

export interface MemoryReply {
  entries: MemorySnippet[];
  admitted?: { id: string; action: string };
}

/**
 * The points where later pieces (worktrees, evidence checks, memory, budgets, the live view)
 * plug into a run without touching the scheduler. Every hook is optional.
 */
export interface RunHooks {
  /** Before each attempt is assigned. A throw fails the attempt with that error. */
  prepareTask?(task: TaskSpec, attempt: number): Promise<PreparedTask> | PreparedTask;
  /**
   * Before a worker's result is journaled: may turn a claimed success into a failure (unverified
   * evidence) or act on it (merge a branch). A throw fails the attempt with that error.
   */
  acceptResult?(task: TaskSpec, result: TaskResultBody, attempt: number): Promise<TaskResultBody> | TaskResultBody;
  /** Answers a worker's `memory.search`. Default: no entries. */
  onMemorySearch?(message: MessageOf<WorkerMessage, 'memory.search'>, workerId: string): Promise<MemoryReply> | MemoryReply;
  /** Answers a worker's `memory.propose`. Default: nothing admitted. */
  onMemoryPropose?(message: MessageOf<WorkerMessage, 'memory.propose'>, workerId: string): Promise<MemoryReply> | MemoryReply;
  /** Answers `budget.reserve` from the worker holding the attempt. Default: granted (no run budget). */
  reserveBudget?(request: MessageOf<WorkerMessage, 'budget.reserve'>): Promise<Pick<MessageOf<CoordinatorMessage, 'budget.reply'>, 'refused'>>;
  /** Every progress event of the current attempt of a task. */
  onProgress?(taskId: string, event: ProgressEvent, usage?: Usage): void;
  /** Asked after every finished attempt: a reason string stops the run as budget_exhausted. */
  shouldStop?: () => string | undefined;
}
