import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './exec.js';
import { uncommittedFiles } from './repo.js';

export const SNAPSHOT_SUBJECT = 'coordinate: snapshot of the working tree';

/**
 * A commit of the working tree as it is now, on top of `head`: staged and unstaged changes and
 * untracked files that are not ignored (`.coordinate/` aside). It is built in a temporary index, so
 * the person's index, files and branches stay exactly as they were. Returns `head` when nothing is
 * uncommitted.
 */
export async function snapshotWorkingTree(root: string, head: string): Promise<string> {
  if ((await uncommittedFiles(root)).length === 0) return head;
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-snapshot-'));
  const env = { GIT_INDEX_FILE: join(dir, 'index') };
  try {
    await git(['read-tree', head], { cwd: root, env });
    // An exclude pathspec for an ignored folder makes `git add` fail, so `.coordinate/` is taken out after.
    await git(['add', '--all', '--', ':(top)'], { cwd: root, env });
    await git(['rm', '-r', '--cached', '--quiet', '--ignore-unmatch', '--', ':(top).coordinate'], { cwd: root, env });
    const tree = (await git(['write-tree'], { cwd: root, env })).stdout.trim();
    return (await git(['commit-tree', '--no-gpg-sign', tree, '-p', head, '-m', SNAPSHOT_SUBJECT], { cwd: root })).stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
