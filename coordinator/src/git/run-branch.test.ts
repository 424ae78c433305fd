import { afterEach, describe, expect, it } from 'vitest';
import { UnknownRefError } from './errors.js';
import { createRunBranch } from './run-branch.js';
import { TempDirs, sh, writeFiles } from './test-repo.test-helper.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

const rev = async (repo: string, ref: string) => (await sh(repo, ['rev-parse', ref])).trim();

describe('createRunBranch', () => {
  it('creates coordinate/<runId> at the base commit while the current branch stays checked out', async () => {
    const repo = await temp.repo();
    const base = await rev(repo, 'HEAD');
    expect(await createRunBranch(repo, 'r1', 'HEAD')).toEqual({ branch: 'coordinate/r1', commit: base, created: true });
    expect(await rev(repo, 'coordinate/r1')).toBe(base);
    expect((await sh(repo, ['symbolic-ref', '--short', 'HEAD'])).trim()).toBe('main');
  });

  it('keeps an existing run branch where it is when a run resumes', async () => {
    const repo = await temp.repo();
    const base = await rev(repo, 'HEAD');
    await createRunBranch(repo, 'r1', base);
    await writeFiles(repo, { 'later.txt': 'later\n' });
    await sh(repo, ['add', 'later.txt']);
    await sh(repo, ['commit', '--quiet', '-m', 'later']);
    expect(await createRunBranch(repo, 'r1', 'HEAD')).toEqual({ branch: 'coordinate/r1', commit: base, created: false });
    expect(await rev(repo, 'coordinate/r1')).toBe(base);
  });

  it('names a base that is not a commit', async () => {
    const repo = await temp.repo();
    await expect(createRunBranch(repo, 'r1', 'no-such-ref')).rejects.toThrow(UnknownRefError);
    await expect(createRunBranch(repo, 'r1', 'no-such-ref')).rejects.toThrow(/"no-such-ref" names no commit/);
  });
});
