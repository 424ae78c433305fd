import { rm } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { runBranch, taskBranch } from '../run/layout.js';
import { git } from './exec.js';
import { listWorktrees } from './worktree-list.js';

/** What a finished run left in the repository: worktrees of its tasks, task branches and set-aside (`-conflictN`) branches. */
export interface RunLeftovers {
  runId: string;
  worktrees: string[];
  branches: string[];
  /** Set only when the person named this run's branch for removal. */
  runBranch?: string;
}

/**
 * The leftovers of one run: worktrees under its worktree folder and branches named for its tasks
 * (`coordinate/<runId>-<taskId>`, `…-conflict<N>`). The run branch is included only when asked.
 */
export async function findRunLeftovers(options: { repo: string; runId: string; taskIds: readonly string[]; worktreesDir: string; withRunBranch: boolean }): Promise<RunLeftovers> {
  const { repo, runId, taskIds } = options;
  const folder = resolve(options.worktreesDir) + sep;
  const worktrees = (await listWorktrees(repo)).map((entry) => entry.path).filter((path) => resolve(path).startsWith(folder));
  const { stdout } = await git(['for-each-ref', '--format=%(refname:short)', `refs/heads/${runBranch(runId)}-*`], { cwd: repo });
  const ours = new RegExp(`^(${taskIds.map((id) => escapeRegExp(taskBranch(runId, id))).join('|')})(-conflict\\d+)?$`);
  const branches = taskIds.length === 0 ? [] : stdout.split('\n').filter((name) => ours.test(name.trim()));
  const run = options.withRunBranch ? (await git(['for-each-ref', '--format=%(refname:short)', `refs/heads/${runBranch(runId)}`], { cwd: repo })).stdout.trim() : '';
  return { runId, worktrees, branches, ...(run ? { runBranch: run } : {}) };
}

/** Removes what `findRunLeftovers` found: worktrees first (a branch checked out in one cannot go), then branches. */
export async function removeRunLeftovers(repo: string, leftovers: RunLeftovers, worktreesDir: string): Promise<void> {
  for (const path of leftovers.worktrees) await git(['worktree', 'remove', '--force', '--force', path], { cwd: repo });
  await rm(worktreesDir, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: repo });
  for (const branch of [...leftovers.branches, ...(leftovers.runBranch ? [leftovers.runBranch] : [])]) {
    await git(['update-ref', '-m', 'coordinate clean', '-d', `refs/heads/${branch}`], { cwd: repo });
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
