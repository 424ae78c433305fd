import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runPaths } from '../run/layout.js';
import { changedFiles, diffStat } from './diff.js';
import { mergeIntoRunBranch } from './merge.js';
import { inspectRepo } from './repo.js';
import { createRunBranch } from './run-branch.js';
import { TempDirs, checkoutSnapshot, sh, writeFiles } from './test-repo.test-helper.js';
import { commitTaskWork, createRunWorktree, createTaskWorktree, removeTaskWorktree } from './worktree.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

it('leaves the person\'s HEAD, index, working tree, uncommitted and untracked files and current branch byte for byte as they were', async () => {
  const repo = await temp.repo({ 'a.txt': 'shared line\n', 'b.txt': 'b\n', 'staged.txt': 's\n' });
  await sh(repo, ['checkout', '--quiet', '-b', 'feature']);
  // Work in progress of every kind: an unstaged edit, a staged edit, an untracked file.
  await writeFile(join(repo, 'b.txt'), 'b, edited but not committed\n');
  await writeFile(join(repo, 'staged.txt'), 's, staged\n');
  await sh(repo, ['add', 'staged.txt']);
  await writeFile(join(repo, 'untracked.txt'), 'nobody added me\n');
  // A file saved again unchanged: any `git status` that may write would refresh the index for it.
  await utimes(join(repo, 'a.txt'), new Date('2001-01-01'), new Date('2001-01-01'));
  const before = await checkoutSnapshot(repo);

  const info = await inspectRepo(repo);
  expect(info).toMatchObject({ currentBranch: 'feature', dirty: true });
  const base = info.headCommit!;
  await createRunBranch(repo, 'r1', base);
  const worktreesDir = runPaths(repo, 'r1').worktrees;
  const ids = { repo, runId: 'r1', worktreesDir };
  const left = await createTaskWorktree({ ...ids, taskId: 'left', baseRef: base });
  const right = await createTaskWorktree({ ...ids, taskId: 'right', baseRef: base });
  await writeFiles(left.path, { 'a.txt': 'left\n', 'b.txt': 'b from the run\n', 'untracked.txt': 'the run made this too\n' });
  await writeFiles(right.path, { 'a.txt': 'right\n' });
  await commitTaskWork({ path: left.path, message: 'left' });
  await commitTaskWork({ path: right.path, message: 'right' });
  await changedFiles(left.path, base);
  expect((await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: left.branch, message: 'Merge left' })).status).toBe('merged');
  expect((await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: right.branch, message: 'Merge right' })).status).toBe('conflict');
  await createRunWorktree({ ...ids, taskId: 'verify' });
  await diffStat(repo, base, 'coordinate/r1');
  await removeTaskWorktree({ ...ids, taskId: 'left' });
  await removeTaskWorktree({ ...ids, taskId: 'right' });
  await removeTaskWorktree({ ...ids, taskId: 'verify' });

  expect(await checkoutSnapshot(repo)).toEqual(before);
  expect(await sh(repo, ['show', 'coordinate/r1:b.txt'])).toBe('b from the run');
});
