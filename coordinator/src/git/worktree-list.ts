import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { git } from './exec.js';

export interface WorktreeEntry {
  path: string;
  head?: string;
  /** `refs/heads/...`, absent when detached. */
  branch?: string;
}

/** The worktrees git knows of, after forgetting those whose folders are gone. */
export async function listWorktrees(repo: string): Promise<WorktreeEntry[]> {
  await git(['worktree', 'prune'], { cwd: repo });
  const { stdout } = await git(['worktree', 'list', '--porcelain', '-z'], { cwd: repo });
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  for (const field of stdout.split('\0')) {
    if (field.startsWith('worktree ')) {
      current = { path: field.slice('worktree '.length) };
      entries.push(current);
    } else if (current && field.startsWith('HEAD ')) current.head = field.slice('HEAD '.length);
    else if (current && field.startsWith('branch ')) current.branch = field.slice('branch '.length);
  }
  return entries;
}

/** Git records worktree paths resolved, so symlinked temp dirs (macOS /var) compare by real path. */
async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

export async function findWorktreeAt(repo: string, path: string): Promise<WorktreeEntry | undefined> {
  const wanted = await canonical(path);
  for (const entry of await listWorktrees(repo)) if ((await canonical(entry.path)) === wanted) return entry;
  return undefined;
}
