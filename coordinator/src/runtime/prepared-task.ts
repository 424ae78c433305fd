import type { Budget, LeaseWait, MemorySnippet, MergeCheckFailure, MergeConflictContext } from '@coordinate/protocol';

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
  /** Set when the task's earlier attempt ended waiting for a file lease: the worker's prompt says the holder's work is in. */
  leaseWait?: LeaseWait;
}
