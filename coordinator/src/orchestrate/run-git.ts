import type { MergeConflictContext, TaskSpec } from '@coordinate/protocol';
import { branchCommit, createRunBranch, filesNotSeenByRun, inspectRepo, requireGitForImplementation, snapshotWorkingTree } from '../git/index.js';
import { runBranch } from '../run/layout.js';
import { baseOfRunBranch } from './base-commit.js';
import type { MergeCheck } from './merge-check.js';
import { TaskWorkspaces } from './task-workspace.js';

export interface RunGit {
  root: string;
  branch: string;
  /** The person's HEAD when the run started, or a snapshot of their working tree on top of it: the run branch grows from it. */
  baseCommit: string;
  /** Uncommitted and untracked files of the person's working tree the run does not see. */
  notSeen: string[];
  workspaces: TaskWorkspaces;
}

/**
 * The run's branch, when the plan changes or checks code. Refuses (not_a_git_repo, empty_repository,
 * git_too_old, …) before any worker starts; a research-only plan needs no git at all.
 */
export async function prepareRunGit(options: {
  repoRoot: string;
  runId: string;
  tasks: readonly TaskSpec[];
  worktreesDir: string;
  resume: boolean;
  includeUncommitted?: boolean;
  /** A resumed run's resolution tasks with the conflict each resolves, from its journal. */
  resolutions?: ReadonlyMap<string, MergeConflictContext>;
  check?: MergeCheck;
}): Promise<RunGit | undefined> {
  if (options.tasks.every((task) => task.role === 'research')) return undefined;
  const repo = requireGitForImplementation(await inspectRepo(options.repoRoot));
  const branch = runBranch(options.runId);
  const existing = options.resume ? await branchCommit(repo.root, branch) : undefined;
  const include = options.includeUncommitted ?? false;
  const notSeen = await filesNotSeenByRun(repo.root, include);
  const fresh = include ? await snapshotWorkingTree(repo.root, repo.headCommit) : repo.headCommit;
  const baseCommit = existing === undefined ? fresh : ((await baseOfRunBranch(repo.root, options.runId)) ?? existing);
  await createRunBranch(repo.root, options.runId, baseCommit);
  return {
    root: repo.root,
    branch,
    baseCommit,
    notSeen,
    workspaces: new TaskWorkspaces({
      repo: repo.root,
      runId: options.runId,
      worktreesDir: options.worktreesDir,
      ...(options.resolutions ? { resolutions: options.resolutions } : {}),
      ...(options.check ? { check: options.check } : {}),
    }),
  };
}
