import { git, nulFields } from './exec.js';

/**
 * The size (bytes) of every file in `commit`'s tree, by path relative to the repository root: one
 * `git ls-tree`. Undefined when git cannot answer (no commit yet, say): the sizes are then unknown,
 * not zero.
 */
export async function fileSizesAt(repo: string, commit: string): Promise<Map<string, number> | undefined> {
  const result = await git(['ls-tree', '-r', '-l', '-z', '--full-tree', commit], { cwd: repo }).catch(() => undefined);
  if (!result) return undefined;
  const sizes = new Map<string, number>();
  for (const entry of nulFields(result.stdout)) {
    // "<mode> blob <object> <size, padded>\t<path>"
    const match = /^\d+ blob \S+ +(\d+)\t(.*)$/s.exec(entry);
    if (match) sizes.set(match[2]!, Number(match[1]));
  }
  return sizes;
}
