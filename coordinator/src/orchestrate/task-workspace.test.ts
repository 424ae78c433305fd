import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { emptyUsage, type MergeCheckFailure, type TaskSpec } from '@coordinate/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunBranch } from '../git/run-branch.js';
import { TempDirs, sh, writeFiles } from '../git/test-repo.test-helper.js';
import { runPaths } from '../run/layout.js';
import { TaskWorkspaces } from './task-workspace.js';

const temp = new TempDirs();
const open: TaskWorkspaces[] = [];
afterEach(async () => {
  for (const workspaces of open.splice(0)) await workspaces.closeSpares();
  await temp.removeAll();
});

const implement = (id: string): TaskSpec => ({ id, title: `task ${id}`, role: 'implement', instructions: 'edit', dependsOn: [] });
const succeeded = { outcome: 'succeeded' as const, summary: 'done', usage: emptyUsage() };

async function setup(check?: (commit: string) => MergeCheckFailure | undefined) {
  const repo = await temp.repo({ 'a.txt': 'one\n' });
  await createRunBranch(repo, 'r1', (await sh(repo, ['rev-parse', 'HEAD'])).trim());
  const worktreesDir = runPaths(repo, 'r1').worktrees;
  const workspaces = new TaskWorkspaces({ repo, runId: 'r1', worktreesDir, ...(check ? { check: (commit: string) => Promise.resolve(check(commit)) } : {}) });
  open.push(workspaces);
  return { repo, workspaces };
}

/** Lets the spare the last prepare asked for be made, so that the next task takes it when it can. */
async function spareMade(repo: string): Promise<void> {
  await vi.waitFor(async () => expect(await sh(repo, ['worktree', 'list', '--porcelain'])).toMatch(/\.spare-\d+\nHEAD [0-9a-f]+\ndetached\nlocked/), { timeout: 30_000, interval: 50 });
}

async function landEdit(workspaces: TaskWorkspaces, id: string, file: string) {
  const task = implement(id);
  const { root } = await workspaces.prepare(task);
  await writeFiles(root, { [file]: `from ${id}\n` });
  return { root, landed: await workspaces.land(task, succeeded, 1) };
}

describe('task workspaces', () => {
  it('start a task after a merge from the merged run branch, its files included', async () => {
    const { repo, workspaces } = await setup();
    const { landed } = await landEdit(workspaces, 't1', 'b.txt');
    await spareMade(repo);
    const { root } = await workspaces.prepare(implement('t2'));
    expect((await sh(root, ['rev-parse', 'HEAD'])).trim()).toBe(landed.merged?.runHead);
    expect(await readFile(join(root, 'b.txt'), 'utf8')).toBe('from t1\n');
  });

  it('start a task after a merge the check took back from the run branch as it was before that merge', async () => {
    const { repo, workspaces } = await setup((commit) => (commit ? { attempt: 1, command: 'npm test', exitCode: 1, output: 'broken' } : undefined));
    const before = (await sh(repo, ['rev-parse', 'coordinate/r1'])).trim();
    const { landed } = await landEdit(workspaces, 't1', 'b.txt');
    expect(landed.result.outcome).toBe('failed');
    await spareMade(repo);
    const { root } = await workspaces.prepare(implement('t2'));
    expect((await sh(root, ['rev-parse', 'HEAD'])).trim()).toBe(before);
  });
});
