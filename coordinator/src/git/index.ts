export * from './errors.js';
export { COORDINATE_IDENTITY, git, type GitOptions, type GitResult } from './exec.js';
export { MIN_GIT_VERSION } from './git-version.js';
export { inspectRepo, requireGitForImplementation, uncommittedFiles, type GitRepo, type RepoInfo } from './repo.js';
export { branchCommit, isAncestor, resolveCommit } from './refs.js';
export { createRunBranch, type RunBranch } from './run-branch.js';
export {
  commitTaskWork,
  createRunWorktree,
  createTaskWorktree,
  removeTaskWorktree,
  type RemovedWorktree,
  type RunWorktree,
  type TaskWorktree,
  type TaskWorktreeOptions,
} from './worktree.js';
export { changedFiles, diffStat, type DiffStat, type FileStat } from './diff.js';
export { mergeIntoRunBranch, type MergeOptions, type MergeOutcome } from './merge.js';
export { applyRunBranch, type ApplyOutcome } from './apply.js';
export { snapshotWorkingTree } from './snapshot.js';
export { filesNotSeenByRun } from './not-seen.js';
export { findRunLeftovers, removeRunLeftovers, type RunLeftovers } from './run-leftovers.js';
export { fileSizesAt } from './file-sizes.js';
