import { git } from './exec.js';

/** The full commit id `ref` names, or undefined when it names no commit. */
export async function resolveCommit(repo: string, ref: string): Promise<string | undefined> {
  const { stdout, exitCode } = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: repo, okExitCodes: [0, 1, 128] });
  return exitCode === 0 ? stdout.trim() : undefined;
}

/** The commit a local branch points at, or undefined when there is no such branch. */
export function branchCommit(repo: string, branch: string): Promise<string | undefined> {
  return resolveCommit(repo, `refs/heads/${branch}`);
}

export async function isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
  const { exitCode } = await git(['merge-base', '--is-ancestor', ancestor, descendant], { cwd: repo, okExitCodes: [0, 1] });
  return exitCode === 0;
}
