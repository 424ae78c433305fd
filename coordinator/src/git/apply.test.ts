import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPaths } from '../run/layout.js';
import { applyRunBranch } from './apply.js';
import { ApplyConflictError, DirtyWorkingTreeError } from './errors.js';
import { mergeIntoRunBranch } from './merge.js';
import { createRunBranch } from './run-branch.js';
import { TempDirs, checkoutSnapshot, sh, writeFiles } from './test-repo.test-helper.js';
import { commitTaskWork, createTaskWorktree } from './worktree.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

const rev = async (repo: string, ref: string) => (await sh(repo, ['rev-parse', ref])).trim();

/** A repository whose run branch holds one merged task that rewrote `a.txt`. */
async function finishedRun() {
  const repo = await temp.repo({ 'a.txt': 'before\n', 'b.txt': 'b\n' });
  const base = await rev(repo, 'HEAD');
  await createRunBranch(repo, 'r1', base);
  const wt = await createTaskWorktree({ repo, runId: 'r1', taskId: 't1', worktreesDir: runPaths(repo, 'r1').worktrees, baseRef: base });
  await writeFiles(wt.path, { 'a.txt': 'after\n' });
  await commitTaskWork({ path: wt.path, message: 't1' });
  await mergeIntoRunBranch({ repo, runId: 'r1', taskBranch: wt.branch, message: 'Merge t1' });
  return { repo, base };
}

describe('applyRunBranch (--apply)', () => {
  it('fast-forwards a clean checkout to the run branch, bringing its changes into the working tree', async () => {
    const { repo } = await finishedRun();
    const outcome = await applyRunBranch({ repo, runId: 'r1' });
    expect(outcome).toEqual({ status: 'fast-forward', commit: await rev(repo, 'coordinate/r1') });
    expect(await rev(repo, 'main')).toBe(outcome.commit);
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('after\n');
    expect(await sh(repo, ['status', '--porcelain', '--', '.', ':(exclude).coordinate'])).toBe('');
    expect(await applyRunBranch({ repo, runId: 'r1' })).toEqual({ status: 'up-to-date', commit: outcome.commit });
  });

  it('merges when the person committed more since the run started', async () => {
    const { repo } = await finishedRun();
    await writeFile(join(repo, 'b.txt'), 'b, committed by the person meanwhile\n');
    await sh(repo, ['commit', '--quiet', '-am', 'meanwhile']);
    const outcome = await applyRunBranch({ repo, runId: 'r1' });
    expect(outcome.status).toBe('merged');
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('after\n');
    expect(await readFile(join(repo, 'b.txt'), 'utf8')).toBe('b, committed by the person meanwhile\n');
    expect((await sh(repo, ['rev-list', '--parents', '-n', '1', 'HEAD'])).trim().split(' ')).toHaveLength(3);
  });

  it('refuses a working tree with an uncommitted edit, naming the file and saying to commit or stash, and changes nothing', async () => {
    const { repo } = await finishedRun();
    await writeFile(join(repo, 'b.txt'), 'work in progress\n');
    const before = await checkoutSnapshot(repo);
    const refusal = applyRunBranch({ repo, runId: 'r1' });
    await expect(refusal).rejects.toThrow(DirtyWorkingTreeError);
    await expect(refusal).rejects.toThrow(/b\.txt.*commit or stash/);
    expect(await checkoutSnapshot(repo)).toEqual(before);
  });

  it('refuses a working tree with an untracked file, and changes nothing', async () => {
    const { repo } = await finishedRun();
    await writeFile(join(repo, 'new.txt'), 'not yet added\n');
    const before = await checkoutSnapshot(repo);
    await expect(applyRunBranch({ repo, runId: 'r1' })).rejects.toMatchObject({ code: 'dirty_working_tree', data: { files: ['new.txt'] } });
    expect(await checkoutSnapshot(repo)).toEqual(before);
  });

  it('refuses a merge that would conflict before touching anything, naming the conflicted file', async () => {
    const { repo } = await finishedRun();
    await writeFile(join(repo, 'a.txt'), 'the person\'s own rewrite\n');
    await sh(repo, ['commit', '--quiet', '-am', 'conflicting']);
    const before = await checkoutSnapshot(repo);
    const refusal = applyRunBranch({ repo, runId: 'r1' });
    await expect(refusal).rejects.toThrow(ApplyConflictError);
    await expect(refusal).rejects.toMatchObject({ data: { files: ['a.txt'] } });
    expect(await checkoutSnapshot(repo)).toEqual(before);
  });
});
