import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { execa } from 'execa';

const git = async (args: string[], cwd: string, env: Record<string, string> = {}) =>
  (await execa('git', args, { cwd, env: { PATH: process.env.PATH ?? '', ...env, GIT_OPTIONAL_LOCKS: '0' }, extendEnv: false, reject: false })).stdout.trim();

/**
 * A git tree id for the working tree of `root` as it is now: tracked and untracked files, ignored
 * ones left out. Two calls give the same id exactly when no file git would see has changed between
 * them. Undefined outside a git work tree. The person's index is not touched: a copy is staged into.
 */
export async function treeFingerprint(root: string): Promise<string | undefined> {
  if ((await git(['rev-parse', '--is-inside-work-tree'], root)) !== 'true') return undefined;
  const indexPath = await git(['rev-parse', '--git-path', 'index'], root);
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-tree-'));
  try {
    const index = join(dir, 'index');
    // A copy of the real index keeps its file stat cache, so only changed files are hashed again.
    await copyFile(isAbsolute(indexPath) ? indexPath : join(root, indexPath), index).catch(() => undefined);
    const env = { GIT_INDEX_FILE: index };
    await git(['add', '-A', '--', '.'], root, env);
    const tree = await git(['write-tree'], root, env);
    return /^[0-9a-f]{40,64}$/.test(tree) ? tree : undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
