import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest folder holding `.git` (a folder, or a file in a worktree), else `start` itself. */
export function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start);
    dir = parent;
  }
}

export const memoryDbPath = (repoRoot: string): string => join(repoRoot, '.coordinate', 'memory.db');
