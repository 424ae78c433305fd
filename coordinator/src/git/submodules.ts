import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { git } from './exec.js';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The submodules recorded at HEAD of `worktree`: path → commit, from the tree's gitlinks. */
async function gitlinks(worktree: string): Promise<Map<string, string>> {
  const { stdout } = await git(['ls-tree', '-r', '-z', 'HEAD'], { cwd: worktree });
  const links = new Map<string, string>();
  for (const entry of stdout.split('\0')) {
    const match = /^160000 commit ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (match) links.set(match[2]!, match[1]!);
  }
  return links;
}

/** Submodule names by path, from .gitmodules (the module store is keyed by name). */
async function namesByPath(worktree: string): Promise<Map<string, string>> {
  const { stdout } = await git(['config', '--file', '.gitmodules', '--null', '--get-regexp', '^submodule\\..*\\.path$'], { cwd: worktree, okExitCodes: [0, 1] });
  const names = new Map<string, string>();
  for (const entry of stdout.split('\0')) {
    const match = /^submodule\.(.+)\.path\n(.+)$/s.exec(entry);
    if (match) names.set(match[2]!, match[1]!);
  }
  return names;
}

/**
 * Checks out the submodules of a task's worktree at the commits its HEAD records, cloned from the
 * person's local module store (`<gitDir>/modules/<name>`) with shared objects: no network, and a
 * suite that needs a submodule finds it exactly when it would in the person's checkout. A
 * submodule the person never initialised stays empty, as it is for them. Nested ones follow.
 * The person's config is not touched (`git submodule init` would write into it).
 */
export async function checkOutSubmodules(worktree: string, gitDir: string): Promise<void> {
  if (!(await exists(join(worktree, '.gitmodules')))) return;
  const names = await namesByPath(worktree);
  for (const [path, commit] of await gitlinks(worktree)) {
    const store = join(gitDir, 'modules', names.get(path) ?? path);
    if (!(await exists(store))) continue;
    const target = join(worktree, path);
    if (!(await exists(join(target, '.git')))) await git(['clone', '--quiet', '--shared', '--no-checkout', store, target], { cwd: worktree });
    await git(['checkout', '--quiet', '--force', '--detach', commit], { cwd: target });
    await checkOutSubmodules(target, store);
  }
}

/** The repository's shared git directory, where the module store of its submodules lives. */
export async function commonGitDir(repo: string): Promise<string> {
  return resolve(repo, (await git(['rev-parse', '--git-common-dir'], { cwd: repo })).stdout.trim());
}
