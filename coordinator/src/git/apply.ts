import { resolve } from 'node:path';
import { runBranch } from '../run/layout.js';
import { ApplyConflictError, DirtyWorkingTreeError, GitError, UnknownRefError } from './errors.js';
import { git, nulFields } from './exec.js';
import { branchCommit, isAncestor, resolveCommit } from './refs.js';
import { inspectRepo, requireGitForImplementation, uncommittedFiles } from './repo.js';

export interface ApplyOutcome {
  status: 'up-to-date' | 'fast-forward' | 'merged';
  /** HEAD afterwards. */
  commit: string;
}

/**
 * The `--apply` opt-in: brings the run branch into the person's current branch and working tree.
 * It refuses a tree with uncommitted or untracked work (`ownFiles`, absolute paths of files the run
 * itself wrote, aside), and refuses a merge that would conflict
 * before touching anything, so nothing of theirs can be lost or left half-merged.
 */
export async function applyRunBranch(options: { repo: string; runId: string; ownFiles?: readonly string[] }): Promise<ApplyOutcome> {
  const info = requireGitForImplementation(await inspectRepo(options.repo));
  const { root, headCommit } = info;
  // The run's own report files (--junit, --report-json inside the repository) are not the person's work.
  const own = new Set((options.ownFiles ?? []).map((file) => resolve(file)));
  const dirty = (await uncommittedFiles(root)).filter((file) => !own.has(resolve(root, file)));
  if (dirty.length > 0) throw new DirtyWorkingTreeError(root, dirty);

  const branch = runBranch(options.runId);
  const run = await branchCommit(root, branch);
  if (run === undefined) throw new UnknownRefError(branch, root);
  if (await isAncestor(root, run, headCommit)) return { status: 'up-to-date', commit: headCommit };

  if (await isAncestor(root, headCommit, run)) {
    await git(['merge', '--ff-only', '--quiet', branch], { cwd: root });
    return { status: 'fast-forward', commit: run };
  }

  const preview = await git(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', headCommit, run], { cwd: root, okExitCodes: [0, 1] });
  if (preview.exitCode === 1) throw new ApplyConflictError(branch, [...new Set(nulFields(preview.stdout).slice(1))].sort());
  try {
    await git(['merge', '--no-edit', '--quiet', branch], { cwd: root });
  } catch (error) {
    // A hook or a file git will not overwrite stopped it mid-way: put the clean tree back.
    if (error instanceof GitError && (await resolveCommit(root, 'MERGE_HEAD')) !== undefined) {
      await git(['merge', '--abort'], { cwd: root });
    }
    throw error;
  }
  return { status: 'merged', commit: (await git(['rev-parse', 'HEAD'], { cwd: root })).stdout.trim() };
}
