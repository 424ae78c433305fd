import { inspectRepo, uncommittedFiles } from './repo.js';

/**
 * The person's uncommitted and untracked (not ignored) files that a run will not see: implementation
 * starts from their last commit. Empty outside git, and with `--include-uncommitted`, which starts the
 * run from a snapshot of them.
 */
export async function filesNotSeenByRun(repoRoot: string, includeUncommitted: boolean): Promise<string[]> {
  if (includeUncommitted) return [];
  const info = await inspectRepo(repoRoot);
  return info.isGit && info.root !== undefined ? uncommittedFiles(info.root) : [];
}
