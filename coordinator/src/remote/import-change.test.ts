import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleRefOf, type TaskChange } from '@coordinate/protocol';
import { sh, TempDirs, writeFiles } from '../git/test-repo.test-helper.js';
import { createSpareWorktree, removeSpareWorktree } from '../git/worktree.js';
import { importChange } from './import-change.js';

const dirs = new TempDirs();
afterEach(() => dirs.removeAll());

/** The coordinator's repository with a task worktree at the base, and a worker's clone of that base. */
async function setUp() {
  const repo = await dirs.repo({ 'README.md': '# demo\n' });
  const base = (await sh(repo, ['rev-parse', 'HEAD'])).trim();
  const worktree = join(await dirs.make('coordinate-wt-'), 'task');
  await sh(repo, ['worktree', 'add', '--quiet', '--detach', worktree, base]);
  const clone = await dirs.make('coordinate-clone-');
  await sh(clone, ['clone', '--quiet', repo, '.']);
  await sh(clone, ['checkout', '--quiet', '--detach', base]);
  return { repo, base, worktree, clone };
}

/** Commits `files` in the clone and bundles `HEAD ^base` as a worker does; `extraHeads` are branches at the new commit bundled beside it. */
async function workerChange(clone: string, base: string, files: Record<string, string>, extraHeads: string[] = []) {
  await writeFiles(clone, files);
  await sh(clone, ['add', '--all']);
  await sh(clone, ['commit', '--quiet', '-m', 'work']);
  const head = (await sh(clone, ['rev-parse', 'HEAD'])).trim();
  for (const branch of extraHeads) await sh(clone, ['branch', branch]);
  const file = join(clone, '..', `${Date.now()}-${Math.random()}.bundle`);
  await sh(clone, ['bundle', 'create', '--quiet', file, 'HEAD', ...extraHeads.map((branch) => `refs/heads/${branch}`), `^${base}`]);
  const change: TaskChange = { ...(await bundleRefOf(file)), base, head };
  return { file, change };
}

const quarantineRef = 'refs/coordinate/incoming/run/task-1';

describe('importChange: a remote worker\'s change is untrusted', () => {
  it('takes a change built on the base into the task worktree, as files for the task to commit', async () => {
    const { repo, base, worktree, clone } = await setUp();
    const { file, change } = await workerChange(clone, base, { 'src/fix.txt': 'fixed\n' });
    await importChange({ repo, worktree, file, change, quarantineRef });
    expect(await readFile(join(worktree, 'src/fix.txt'), 'utf8')).toBe('fixed\n');
    // Only the tree is taken: the worktree is still at the base, and the quarantine ref is gone.
    expect((await sh(worktree, ['rev-parse', 'HEAD'])).trim()).toBe(base);
    expect(await sh(repo, ['for-each-ref', 'refs/coordinate/'])).toBe('');
  });

  it('refuses a change whose history brings in commits that do not descend from the base', async () => {
    const { repo, base, worktree, clone } = await setUp();
    // An unrelated history merged in: its commits ride along in the bundle.
    await sh(clone, ['checkout', '--quiet', '--orphan', 'elsewhere']);
    await sh(clone, ['rm', '-rf', '--quiet', '.']);
    await writeFiles(clone, { 'planted.txt': 'not from the base\n' });
    await sh(clone, ['add', '--all']);
    await sh(clone, ['commit', '--quiet', '-m', 'unrelated']);
    await sh(clone, ['checkout', '--quiet', '--detach', base]);
    await sh(clone, ['merge', '--quiet', '--allow-unrelated-histories', '--no-edit', 'elsewhere']);
    const { file, change } = await workerChange(clone, base, { 'src/fix.txt': 'fixed\n' });
    await expect(importChange({ repo, worktree, file, change, quarantineRef })).rejects.toMatchObject({ code: 'change_refused', message: expect.stringContaining('do not all descend from the base') });
    await expect(readFile(join(worktree, 'planted.txt'), 'utf8')).rejects.toThrow();
  });

  it('refuses a change that writes .coordinate/', async () => {
    const { repo, base, worktree, clone } = await setUp();
    const { file, change } = await workerChange(clone, base, { '.coordinate/config.json': '{"permissions":{}}\n' });
    await expect(importChange({ repo, worktree, file, change, quarantineRef })).rejects.toMatchObject({ code: 'change_refused', message: expect.stringContaining('.coordinate') });
  });

  it('refuses a bundle that names more heads than the change, or another head', async () => {
    const { repo, base, worktree, clone } = await setUp();
    const { file, change } = await workerChange(clone, base, { 'src/fix.txt': 'fixed\n' }, ['side']);
    await expect(importChange({ repo, worktree, file, change, quarantineRef })).rejects.toMatchObject({ code: 'change_refused', message: expect.stringContaining('exactly one head') });
    await expect(importChange({ repo, worktree, file: join(clone, 'README.md'), change, quarantineRef })).rejects.toMatchObject({ code: 'change_refused' });
  });
});

describe('importChange beside worktrees being made', () => {
  it('takes every change in while spare worktrees are added and removed in the same repository', async () => {
    const { repo, base, clone } = await setUp();
    const { file, change } = await workerChange(clone, base, { 'src/fix.txt': 'fixed\n' });
    const tasks = await dirs.make('coordinate-wt-');
    const worktrees = [0, 1, 2, 3].map((n) => join(tasks, `task-${n}`));
    for (const path of worktrees) await sh(repo, ['worktree', 'add', '--quiet', '--detach', path, base]);
    const spares = await dirs.make('coordinate-spares-');
    // Each round adds and removes spares while changes are fetched: without the repository's lock a
    // fetch's connectivity check meets a spare's placeholder HEAD within a few rounds.
    for (let round = 0; round < 12; round++) {
      const made = [0, 1, 2, 3].map(async (n) => removeSpareWorktree(repo, await createSpareWorktree(repo, join(spares, `.spare-${round}-${n}`), base)));
      const imported = worktrees.map((worktree, n) => importChange({ repo, worktree, file, change, quarantineRef: `${quarantineRef}-${round}-${n}` }));
      await Promise.all([...made, ...imported]);
    }
    for (const worktree of worktrees) expect(await readFile(join(worktree, 'src/fix.txt'), 'utf8')).toBe('fixed\n');
    expect(await sh(repo, ['for-each-ref', 'refs/coordinate/'])).toBe('');
  }, 120_000);
});
