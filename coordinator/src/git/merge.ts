import { resolve } from 'node:path';
import { runBranch } from '../run/layout.js';
import { GitError, RunBranchMovedError, UnknownRefError } from './errors.js';
import { git } from './exec.js';
import type { ConflictedFile } from '@coordinate/protocol';
import { parseMergeTree } from './merge-tree-output.js';
import { branchCommit, isAncestor } from './refs.js';
import { serialized } from '@coordinate/tools';

export type MergeOutcome =
  | { status: 'merged'; commit: string }
  | { status: 'conflict'; files: string[]; conflicts: ConflictedFile[] }
  /** The run branch already holds everything the task branch has (a task that changed nothing). */
  | { status: 'empty' };

export interface MergeOptions {
  repo: string;
  runId: string;
  taskBranch: string;
  message: string;
}

/**
 * Merges a task branch into `coordinate/<runId>` without a checkout: `merge-tree` computes the tree,
 * `commit-tree` records it, and `update-ref` moves the branch only if it is still where it was read.
 * A conflict writes nothing: the run branch stays as it was and the task branch keeps its commits.
 * Merges into the same run branch from one process take turns.
 */
export function mergeIntoRunBranch(options: MergeOptions): Promise<MergeOutcome> {
  return serialized(`${resolve(options.repo)}\0${runBranch(options.runId)}`, () => merge(options));
}

async function merge(options: MergeOptions): Promise<MergeOutcome> {
  const { repo, runId, taskBranch, message } = options;
  const target = runBranch(runId);
  const run = await branchCommit(repo, target);
  if (run === undefined) throw new UnknownRefError(target, repo);
  const task = await branchCommit(repo, taskBranch);
  if (task === undefined) throw new UnknownRefError(taskBranch, repo);
  if (await isAncestor(repo, task, run)) return { status: 'empty' };

  const merged = await git(['merge-tree', '--write-tree', '-z', run, task], { cwd: repo, okExitCodes: [0, 1] });
  const { tree, conflicts } = parseMergeTree(merged.stdout);
  if (merged.exitCode === 1) return { status: 'conflict', files: conflicts.map((conflict) => conflict.path), conflicts };

  const commit = (
    await git(['commit-tree', '--no-gpg-sign', tree, '-p', run, '-p', task, '-F', '-'], { cwd: repo, input: message })
  ).stdout.trim();
  try {
    await git(['update-ref', '-m', `coordinate: merge ${taskBranch}`, `refs/heads/${target}`, commit, run], { cwd: repo });
  } catch (error) {
    if (error instanceof GitError && (await branchCommit(repo, target)) !== run) throw new RunBranchMovedError(target, run);
    throw error;
  }
  return { status: 'merged', commit };
}
