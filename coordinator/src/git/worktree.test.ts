import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runPaths } from '../run/layout.js';
import { changedFiles } from './diff.js';
import { WorktreePathTakenError } from './errors.js';
import { mergeIntoRunBranch } from './merge.js';
import { createRunBranch } from './run-branch.js';
import { TempDirs, sh, writeFiles } from './test-repo.test-helper.js';
import { SpareWorktrees } from './spare-worktrees.js';
import { commitTaskWork, createRunWorktree, createSpareWorktree, createTaskWorktree, removeTaskWorktree } from './worktree.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

async function setup() {
  const repo = await temp.repo({ 'a.txt': 'one\n', 'b.txt': 'two\n' });
  const base = (await sh(repo, ['rev-parse', 'HEAD'])).trim();
  await createRunBranch(repo, 'r1', base);
  const worktreesDir = runPaths(repo, 'r1').worktrees;
  return { repo, base, worktreesDir, ids: { repo, runId: 'r1', worktreesDir } };
}

describe('task worktrees', () => {
  it('gives a task its own worktree on branch coordinate/<runId>-<taskId> at the base commit', async () => {
    const { repo, base, ids } = await setup();
    const wt = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    expect(wt).toEqual({ path: join(ids.worktreesDir, 't1'), branch: 'coordinate/r1-t1' });
    expect((await sh(wt.path, ['symbolic-ref', '--short', 'HEAD'])).trim()).toBe('coordinate/r1-t1');
    expect((await sh(repo, ['rev-parse', 'coordinate/r1-t1'])).trim()).toBe(base);
    expect(await readFile(join(wt.path, 'a.txt'), 'utf8')).toBe('one\n');
  });

  it('commits edits and new files but never .coordinate/, and reports no commit when nothing changed', async () => {
    const { base, ids } = await setup();
    const wt = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    expect(await commitTaskWork({ path: wt.path, message: 'nothing' })).toBeUndefined();

    await writeFiles(wt.path, { 'a.txt': 'ONE\n', 'src/new.ts': 'export const x = 1;\n', '.coordinate/runs/r1/notes.md': 'private\n' });
    const commit = await commitTaskWork({ path: wt.path, message: 't1: edit a, add new' });
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await sh(wt.path, ['show', '--name-only', '--format=%s%n%an', commit!])).trim().split('\n')).toEqual([
      't1: edit a, add new',
      'coordinate',
      '',
      'a.txt',
      'src/new.ts',
    ]);
    expect(await changedFiles(wt.path, base)).toEqual(['a.txt', 'src/new.ts']);
  });

  it('lists committed, staged, unstaged, untracked and deleted files as changed', async () => {
    const { base, ids } = await setup();
    const wt = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    await writeFiles(wt.path, { 'a.txt': 'committed\n' });
    await commitTaskWork({ path: wt.path, message: 'first' });
    await writeFiles(wt.path, { 'b.txt': 'unstaged\n', 'c.txt': 'untracked\n' });
    await sh(wt.path, ['rm', '--quiet', 'a.txt']);
    expect(await changedFiles(wt.path, base)).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('resumes a task in its worktree with its commits kept and a dead attempt\'s uncommitted edits dropped', async () => {
    const { base, ids } = await setup();
    const first = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    await writeFiles(first.path, { 'a.txt': 'kept\n' });
    const kept = await commitTaskWork({ path: first.path, message: 'kept' });
    await writeFiles(first.path, { 'b.txt': 'half-done\n', 'stray.txt': 'half-done\n' });

    const again = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    expect(again).toEqual(first);
    expect((await sh(again.path, ['rev-parse', 'HEAD'])).trim()).toBe(kept);
    expect(await readFile(join(again.path, 'a.txt'), 'utf8')).toBe('kept\n');
    expect(await readFile(join(again.path, 'b.txt'), 'utf8')).toBe('two\n');
    expect(await exists(join(again.path, 'stray.txt'))).toBe(false);
  });

  it('recreates a worktree whose folder was deleted, on the same branch', async () => {
    const { base, ids } = await setup();
    const first = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    await writeFiles(first.path, { 'a.txt': 'kept\n' });
    const kept = await commitTaskWork({ path: first.path, message: 'kept' });
    await temp.removeDir(first.path);

    const again = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    expect((await sh(again.path, ['rev-parse', 'HEAD'])).trim()).toBe(kept);
  });

  it('refuses to delete a folder of someone else\'s that sits where a worktree must go', async () => {
    const { base, ids } = await setup();
    const path = join(ids.worktreesDir, 't1');
    await mkdir(path, { recursive: true });
    await writeFile(join(path, 'precious.txt'), 'mine\n');
    await expect(createTaskWorktree({ ...ids, taskId: 't1', baseRef: base })).rejects.toThrow(WorktreePathTakenError);
    expect(await readFile(join(path, 'precious.txt'), 'utf8')).toBe('mine\n');
  });

  it('removes a merged task\'s worktree and branch, but keeps the branch of unmerged work', async () => {
    const { repo, base, ids } = await setup();
    const merged = await createTaskWorktree({ ...ids, taskId: 'merged', baseRef: base });
    const pending = await createTaskWorktree({ ...ids, taskId: 'pending', baseRef: base });
    await writeFiles(merged.path, { 'a.txt': 'merged\n' });
    await writeFiles(pending.path, { 'b.txt': 'pending\n' });
    await commitTaskWork({ path: merged.path, message: 'merged' });
    const pendingCommit = await commitTaskWork({ path: pending.path, message: 'pending' });
    await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: merged.branch, message: 'merge merged' });

    expect(await removeTaskWorktree({ ...ids, taskId: 'merged' })).toEqual({ worktreeRemoved: true, branchDeleted: true });
    expect(await removeTaskWorktree({ ...ids, taskId: 'pending' })).toEqual({ worktreeRemoved: true, branchDeleted: false });
    expect(await exists(merged.path)).toBe(false);
    expect(await exists(pending.path)).toBe(false);
    expect((await sh(repo, ['branch', '--list', 'coordinate/*', '--format=%(refname:short)'])).trim().split('\n')).toEqual([
      'coordinate/r1',
      'coordinate/r1-pending',
    ]);
    expect((await sh(repo, ['rev-parse', 'coordinate/r1-pending'])).trim()).toBe(pendingCommit);
    expect(await removeTaskWorktree({ ...ids, taskId: 'merged' })).toEqual({ worktreeRemoved: false, branchDeleted: false });
  });
});

describe('run worktrees for verification', () => {
  it('shows the run branch detached at its commit, and moves to the newest commit with leftovers dropped when refreshed', async () => {
    const { repo, base, ids } = await setup();
    const first = await createRunWorktree({ ...ids, taskId: 'verify' });
    expect(first.commit).toBe(base);
    expect(await sh(first.path, ['symbolic-ref', '--quiet', 'HEAD']).catch(() => 'detached')).toBe('detached');
    await writeFiles(first.path, { 'build-output.txt': 'stale\n', 'a.txt': 'scribbled\n' });

    const task = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    await writeFiles(task.path, { 'b.txt': 'from t1\n' });
    await commitTaskWork({ path: task.path, message: 't1' });
    const merge = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: task.branch, message: 'merge t1' });

    const again = await createRunWorktree({ ...ids, taskId: 'verify' });
    expect(again).toEqual({ path: first.path, commit: merge.status === 'merged' ? merge.commit : 'not merged' });
    expect(await readFile(join(again.path, 'b.txt'), 'utf8')).toBe('from t1\n');
    expect(await readFile(join(again.path, 'a.txt'), 'utf8')).toBe('one\n');
    expect(await exists(join(again.path, 'build-output.txt'))).toBe(false);
  });
});

describe('spare worktrees', () => {
  const worktreeList = async (repo: string) => (await sh(repo, ['worktree', 'list', '--porcelain'])).split('\n').filter((line) => line.startsWith('worktree ')).length;

  it('give a task its branch at the base and a verification the run branch, as a fresh checkout would, with nothing of the spare left', async () => {
    const { repo, base, ids } = await setup();
    const spare = await createSpareWorktree(repo, join(ids.worktreesDir, '.spare-1'), base);
    const wt = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: 'coordinate/r1', spare });
    expect(wt).toMatchObject({ path: join(ids.worktreesDir, 't1'), branch: 'coordinate/r1-t1' });
    // Until it is told, git still lists the spare's folder, locked, so no prune forgets the worktree.
    expect(await sh(repo, ['worktree', 'list', '--porcelain'])).toContain('locked');
    await wt.register!();
    // Git knows it where it is now, unlocked, like any other worktree.
    expect(await sh(repo, ['worktree', 'list', '--porcelain'])).toContain(`worktree ${wt.path}\n`);
    expect(await sh(repo, ['worktree', 'list', '--porcelain'])).not.toContain('locked');
    expect((await sh(wt.path, ['symbolic-ref', '--short', 'HEAD'])).trim()).toBe('coordinate/r1-t1');
    expect((await sh(repo, ['rev-parse', 'coordinate/r1-t1'])).trim()).toBe(base);
    expect(await readFile(join(wt.path, 'a.txt'), 'utf8')).toBe('one\n');
    expect(await exists(spare.path)).toBe(false);

    // A spare made before the run branch moved is brought to its newest commit.
    const older = await createSpareWorktree(repo, join(ids.worktreesDir, '.spare-2'), base);
    await writeFiles(wt.path, { 'b.txt': 'from t1\n' });
    await commitTaskWork({ path: wt.path, message: 't1' });
    const merge = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: wt.branch, message: 'merge t1' });
    const verify = await createRunWorktree({ ...ids, taskId: 'verify', spare: older });
    expect(verify).toMatchObject({ path: join(ids.worktreesDir, 'verify'), commit: merge.status === 'merged' ? merge.commit : 'not merged' });
    await verify.register?.();
    expect(await sh(verify.path, ['symbolic-ref', '--quiet', 'HEAD']).catch(() => 'detached')).toBe('detached');
    expect(await readFile(join(verify.path, 'b.txt'), 'utf8')).toBe('from t1\n');
    expect(await worktreeList(repo)).toBe(3);
    expect(await removeTaskWorktree({ ...ids, taskId: 'verify' })).toEqual({ worktreeRemoved: true, branchDeleted: false });
    expect(await worktreeList(repo)).toBe(2);
  });

  it('give a task the run branch\'s newest commit, files and all, when the run branch moved on since the spare was made', async () => {
    const { repo, base, ids } = await setup();
    const older = await createSpareWorktree(repo, join(ids.worktreesDir, '.spare-1'), base);
    const first = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: 'coordinate/r1' });
    await writeFiles(first.path, { 'b.txt': 'from t1\n', 'c.txt': 'new\n' });
    await commitTaskWork({ path: first.path, message: 't1' });
    const merge = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: first.branch, message: 'merge t1' });
    const wt = await createTaskWorktree({ ...ids, taskId: 't2', baseRef: 'coordinate/r1', spare: older });
    await wt.register?.();
    expect((await sh(wt.path, ['symbolic-ref', '--short', 'HEAD'])).trim()).toBe('coordinate/r1-t2');
    expect((await sh(repo, ['rev-parse', 'coordinate/r1-t2'])).trim()).toBe(merge.status === 'merged' ? merge.commit : 'not merged');
    expect(await readFile(join(wt.path, 'c.txt'), 'utf8')).toBe('new\n');
    expect(await sh(wt.path, ['status', '--porcelain'])).toBe('');
  });

  it('leave no task branch behind when the base names no commit', async () => {
    const { repo, base, ids } = await setup();
    const spare = await createSpareWorktree(repo, join(ids.worktreesDir, '.spare-1'), base);
    await expect(createTaskWorktree({ ...ids, taskId: 't1', baseRef: 'coordinate/no-such-run', spare })).rejects.toMatchObject({ code: 'unknown_ref' });
    expect(await sh(repo, ['branch', '--list', 'coordinate/r1-t1'])).toBe('');
    expect(await worktreeList(repo)).toBe(1);
  });

  it('are told to git before the task\'s own checkout is given up, when its branch exists already', async () => {
    const { repo, base, ids } = await setup();
    const first = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    await writeFiles(first.path, { 'a.txt': 'kept\n' });
    const kept = await commitTaskWork({ path: first.path, message: 'kept' });
    await temp.removeDir(first.path);
    const spare = await createSpareWorktree(repo, join(ids.worktreesDir, '.spare-1'), base);
    const again = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base, spare });
    expect((await sh(again.path, ['rev-parse', 'HEAD'])).trim()).toBe(kept);
    expect(await worktreeList(repo)).toBe(2);
    expect(await sh(repo, ['worktree', 'list', '--porcelain'])).not.toContain('.spare-1');
  });

  it('are given up, never moved into a folder, when the task has its worktree already', async () => {
    const { repo, base, ids } = await setup();
    const first = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base });
    await writeFiles(first.path, { 'a.txt': 'kept\n' });
    const kept = await commitTaskWork({ path: first.path, message: 'kept' });
    const spare = await createSpareWorktree(repo, join(ids.worktreesDir, '.spare-1'), base);
    const again = await createTaskWorktree({ ...ids, taskId: 't1', baseRef: base, spare });
    expect((await sh(again.path, ['rev-parse', 'HEAD'])).trim()).toBe(kept);
    expect(await exists(spare.path)).toBe(false);
    expect(await exists(join(first.path, '.spare-1'))).toBe(false);
    expect(await worktreeList(repo)).toBe(2);
  });

  it('are made one at a time, handed out only when ready, and removed when closed', async () => {
    const { repo, base, ids } = await setup();
    const spares = new SpareWorktrees({ repo, dir: ids.worktreesDir, commit: () => Promise.resolve(base) });
    expect(spares.take()).toBeUndefined();
    spares.fill();
    await vi.waitFor(() => expect(spares.take()).toBeDefined(), { timeout: 30_000, interval: 20 });
    spares.fill();
    spares.fill();
    await spares.close();
    expect(spares.take()).toBeUndefined();
    // The first spare was taken and is the taker's; the second was made and removed; no third was made.
    expect(await exists(join(ids.worktreesDir, '.spare-2'))).toBe(false);
    expect(await exists(join(ids.worktreesDir, '.spare-3'))).toBe(false);
    expect(await worktreeList(repo)).toBe(2);
  });
});
