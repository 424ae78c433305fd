import { DirtyWorkingTreeError, inspectRepo, requireGitForImplementation, uncommittedFiles } from '../git/index.js';

/** `--apply` is refused before the run when it could not succeed after it: no git, or uncommitted work. */
export async function checkApplyPossible(repoRoot: string): Promise<void> {
  const repo = requireGitForImplementation(await inspectRepo(repoRoot));
  const dirty = await uncommittedFiles(repo.root);
  if (dirty.length > 0) throw new DirtyWorkingTreeError(repo.root, dirty);
}
