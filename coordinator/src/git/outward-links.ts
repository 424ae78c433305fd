import { readlink, rm, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { git, nulFields } from './exec.js';

/** Git's file mode of a symbolic link in the index. */
const SYMLINK_MODE = '120000 ';

/**
 * A relative symbolic link that leads out of the repository (`shared -> ../shared-data`) would dangle
 * in a worktree, which sits deeper in `.coordinate/worktrees/`. Each one is pointed at the absolute
 * place it reaches from the person's checkout, and marked assume-unchanged so that this rewrite is
 * never committed. Returns the paths it re-pointed.
 */
export async function keepOutwardLinks(repoRoot: string, worktree: string): Promise<string[]> {
  const root = resolve(repoRoot);
  const { stdout } = await git(['ls-files', '--stage', '-z'], { cwd: worktree });
  const repointed: string[] = [];
  for (const entry of nulFields(stdout)) {
    const tab = entry.indexOf('\t');
    if (!entry.startsWith(SYMLINK_MODE) || tab === -1) continue;
    const path = entry.slice(tab + 1);
    const link = join(worktree, path);
    const target = await readlink(link).catch(() => undefined);
    if (target === undefined || isAbsolute(target)) continue;
    const reached = resolve(root, dirname(path), target);
    if (reached === root || reached.startsWith(root + sep)) continue;
    await rm(link, { force: true });
    await symlink(reached, link);
    await git(['update-index', '--assume-unchanged', '--', path], { cwd: worktree });
    repointed.push(path);
  }
  return repointed;
}
