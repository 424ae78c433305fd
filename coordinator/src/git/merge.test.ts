import { afterEach, describe, expect, it } from 'vitest';
import { runPaths } from '../run/layout.js';
import { diffStat } from './diff.js';
import { UnknownRefError } from './errors.js';
import { mergeIntoRunBranch } from './merge.js';
import { createRunBranch } from './run-branch.js';
import { TempDirs, sh, writeFiles } from './test-repo.test-helper.js';
import { commitTaskWork, createTaskWorktree } from './worktree.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

const rev = async (repo: string, ref: string) => (await sh(repo, ['rev-parse', ref])).trim();
const show = (repo: string, spec: string) => sh(repo, ['show', spec]);

/** A run with one finished task per entry of `edits`, each on its own branch from the base. */
async function runWithTasks(edits: Record<string, Record<string, string>>) {
  const repo = await temp.repo({ 'a.txt': 'line 1\nline 2\nline 3\n', 'b.txt': 'b\n' });
  const base = await rev(repo, 'HEAD');
  await createRunBranch(repo, 'r1', base);
  const branches: Record<string, string> = {};
  for (const [taskId, files] of Object.entries(edits)) {
    const wt = await createTaskWorktree({ repo, runId: 'r1', taskId, worktreesDir: runPaths(repo, 'r1').worktrees, baseRef: base });
    await writeFiles(wt.path, files);
    await commitTaskWork({ path: wt.path, message: `${taskId} work` });
    branches[taskId] = wt.branch;
  }
  return { repo, base, branches };
}

describe('mergeIntoRunBranch', () => {
  it('merges tasks that edit different files one after another, each as a merge commit on the run branch', async () => {
    const { repo, base, branches } = await runWithTasks({ first: { 'a.txt': 'line 1\nline 2\nline 3 (first)\n' }, second: { 'c.txt': 'new\n' } });
    const one = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.first!, message: 'Merge first' });
    const two = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.second!, message: 'Merge second' });
    expect(one.status).toBe('merged');
    expect(two.status).toBe('merged');
    if (one.status !== 'merged' || two.status !== 'merged') return;

    expect(await rev(repo, 'coordinate/r1')).toBe(two.commit);
    expect((await sh(repo, ['log', '--first-parent', '--format=%s|%an', 'coordinate/r1'])).trim().split('\n')).toEqual([
      'Merge second|coordinate',
      'Merge first|coordinate',
      'initial|Person',
    ]);
    expect((await sh(repo, ['rev-list', '--parents', '-n', '1', two.commit])).trim().split(' ')).toEqual([
      two.commit,
      one.commit,
      await rev(repo, branches.second!),
    ]);
    expect(await show(repo, 'coordinate/r1:a.txt')).toBe('line 1\nline 2\nline 3 (first)');
    expect(await show(repo, 'coordinate/r1:c.txt')).toBe('new');
    expect(await diffStat(repo, base, 'coordinate/r1')).toEqual({
      files: [
        { path: 'a.txt', insertions: 1, deletions: 1 },
        { path: 'c.txt', insertions: 1, deletions: 0 },
      ],
      insertions: 2,
      deletions: 1,
    });
  });

  it('merges a dependent task cleanly when its worktree starts from the run branch after its dependency merged', async () => {
    const { repo, branches } = await runWithTasks({ dep: { 'a.txt': 'line 1\nline 2 (dep)\nline 3\n' } });
    await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.dep!, message: 'Merge dep' });
    const later = await createTaskWorktree({ repo, runId: 'r1', taskId: 'later', worktreesDir: runPaths(repo, 'r1').worktrees, baseRef: 'coordinate/r1' });
    await writeFiles(later.path, { 'a.txt': 'line 1\nline 2 (dep, then later)\nline 3\n' });
    await commitTaskWork({ path: later.path, message: 'later work' });

    expect((await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: later.branch, message: 'Merge later' })).status).toBe('merged');
    expect(await show(repo, 'coordinate/r1:a.txt')).toBe('line 1\nline 2 (dep, then later)\nline 3');
  });

  it('reports a conflict naming the file, leaves the run branch where it was and keeps both task branches', async () => {
    const { repo, branches } = await runWithTasks({
      left: { 'a.txt': 'line 1\nLEFT\nline 3\n', 'b.txt': 'b from left\n' },
      right: { 'a.txt': 'line 1\nRIGHT\nline 3\n', 'd.txt': 'only right\n' },
    });
    const left = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.left!, message: 'Merge left' });
    expect(left.status).toBe('merged');
    const before = await rev(repo, 'coordinate/r1');
    const leftTip = await rev(repo, branches.left!);
    const rightTip = await rev(repo, branches.right!);

    expect(await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.right!, message: 'Merge right' })).toEqual({
      status: 'conflict',
      files: ['a.txt'],
      conflicts: [{ path: 'a.txt', kind: 'content' }],
    });
    expect(await rev(repo, 'coordinate/r1')).toBe(before);
    expect(await show(repo, 'coordinate/r1:a.txt')).toBe('line 1\nLEFT\nline 3');
    expect(await rev(repo, branches.left!)).toBe(leftTip);
    expect(await rev(repo, branches.right!)).toBe(rightTip);
    expect(await show(repo, `${branches.right!}:a.txt`)).toBe('line 1\nRIGHT\nline 3');
  });

  it('names a file both tasks created as an add/add conflict', async () => {
    const { repo, branches } = await runWithTasks({ money: { 'src/format.js': 'export const formatMoney = 1;\n' }, date: { 'src/format.js': 'export const formatDate = 2;\n' } });
    expect((await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.money!, message: 'Merge money' })).status).toBe('merged');
    const outcome = await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.date!, message: 'Merge date' });
    expect(outcome).toEqual({ status: 'conflict', files: ['src/format.js'], conflicts: [{ path: 'src/format.js', kind: 'add/add' }] });
  });

  it('merges tasks that finish at the same moment one after another, losing none', async () => {
    const { repo, branches } = await runWithTasks({ t1: { 'one.txt': '1\n' }, t2: { 'two.txt': '2\n' }, t3: { 'three.txt': '3\n' } });
    const outcomes = await Promise.all(
      Object.entries(branches).map(([taskId, taskBranch]) => mergeIntoRunBranch({ repo, runId: 'r1', taskBranch, message: `Merge ${taskId}` })),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['merged', 'merged', 'merged']);
    expect((await sh(repo, ['ls-tree', '--name-only', 'coordinate/r1'])).trim().split('\n')).toEqual(['a.txt', 'b.txt', 'one.txt', 'three.txt', 'two.txt']);
    expect((await sh(repo, ['rev-list', '--first-parent', '--count', 'coordinate/r1'])).trim()).toBe('4');
  });

  it('reports a task that committed nothing as empty and leaves the run branch alone', async () => {
    const { repo, branches } = await runWithTasks({ idle: {} });
    const before = await rev(repo, 'coordinate/r1');
    expect(await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: branches.idle!, message: 'Merge idle' })).toEqual({ status: 'empty' });
    expect(await rev(repo, 'coordinate/r1')).toBe(before);
  });

  it('names the missing branch when asked to merge a task branch that does not exist', async () => {
    const { repo } = await runWithTasks({});
    await expect(mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: 'coordinate/r1-ghost', message: 'x' })).rejects.toThrow(UnknownRefError);
    await expect(mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: 'coordinate/r1-ghost', message: 'x' })).rejects.toThrow(/coordinate\/r1-ghost/);
  });
});

describe('diffStat', () => {
  it('counts a binary file without line numbers', async () => {
    const { repo, base, branches } = await runWithTasks({ bin: { 'logo.bin': '\u0000\u0001\u0002binary' } });
    expect(await diffStat(repo, base, branches.bin!)).toEqual({
      files: [{ path: 'logo.bin', insertions: 0, deletions: 0, binary: true }],
      insertions: 0,
      deletions: 0,
    });
  });
});
