import { git, nulFields } from './exec.js';
import { OUTSIDE_COORDINATE_DIR } from './pathspec.js';

/**
 * Every path a worktree changed since `base`: committed, staged, unstaged and untracked (not ignored),
 * deletions included, `.coordinate/` aside. Sorted.
 */
export async function changedFiles(path: string, base: string): Promise<string[]> {
  const tracked = await git(['diff', '--name-only', '-z', '--no-renames', base, '--', ...OUTSIDE_COORDINATE_DIR], { cwd: path });
  const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z', '--', ...OUTSIDE_COORDINATE_DIR], { cwd: path });
  return [...new Set([...nulFields(tracked.stdout), ...nulFields(untracked.stdout)])].sort();
}

export interface FileStat {
  path: string;
  insertions: number;
  deletions: number;
  /** Binary files have no line counts. */
  binary?: true;
}

export interface DiffStat {
  files: FileStat[];
  insertions: number;
  deletions: number;
}

/** Lines added and removed per file between two commits, as the run report shows them. */
export async function diffStat(repo: string, base: string, head: string): Promise<DiffStat> {
  const { stdout } = await git(['diff', '--numstat', '-z', '--no-renames', base, head, '--'], { cwd: repo });
  const files: FileStat[] = nulFields(stdout).map((field) => {
    const [added = '-', removed = '-', ...rest] = field.split('\t');
    const path = rest.join('\t');
    if (added === '-') return { path, insertions: 0, deletions: 0, binary: true };
    return { path, insertions: Number(added), deletions: Number(removed) };
  });
  return {
    files,
    insertions: files.reduce((sum, file) => sum + file.insertions, 0),
    deletions: files.reduce((sum, file) => sum + file.deletions, 0),
  };
}
