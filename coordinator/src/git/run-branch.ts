import { runBranch } from '../run/layout.js';
import { UnknownRefError } from './errors.js';
import { git } from './exec.js';
import { branchCommit, resolveCommit } from './refs.js';

export interface RunBranch {
  branch: string;
  commit: string;
  /** False when a resumed run found its branch already there (it is left as it was). */
  created: boolean;
}

/**
 * Creates `coordinate/<runId>` at `baseCommit` by writing the ref alone: the person's HEAD, index
 * and working tree stay as they are. A branch that already exists (a resumed run) is kept.
 */
export async function createRunBranch(repo: string, runId: string, baseCommit: string): Promise<RunBranch> {
  const branch = runBranch(runId);
  await git(['check-ref-format', '--branch', branch], { cwd: repo });
  const existing = await branchCommit(repo, branch);
  if (existing !== undefined) return { branch, commit: existing, created: false };
  const commit = await resolveCommit(repo, baseCommit);
  if (commit === undefined) throw new UnknownRefError(baseCommit, repo);
  // The empty old value makes the write fail if someone created the branch in between.
  await git(['update-ref', '-m', `coordinate: start run ${runId}`, `refs/heads/${branch}`, commit, ''], { cwd: repo });
  return { branch, commit, created: true };
}
