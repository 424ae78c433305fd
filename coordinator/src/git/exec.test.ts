import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitError } from './errors.js';
import { git } from './exec.js';
import { TempDirs } from './test-repo.test-helper.js';

const temp = new TempDirs();
afterEach(() => temp.removeAll());

describe('git', () => {
  it('fails with a GitError carrying the command, the exit code and what git printed', async () => {
    const repo = await temp.repo();
    const failure = await git(['rev-parse', '--verify', 'no-such-branch'], { cwd: repo }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitError);
    expect(failure).toMatchObject({ code: 'git_failed', args: ['rev-parse', '--verify', 'no-such-branch'], exitCode: 128 });
    expect((failure as GitError).stderr).toContain('Needed a single revision');
    expect((failure as GitError).message).toContain('git rev-parse --verify no-such-branch failed (exit 128)');
  });

  it('treats the exit codes a caller expects as answers', async () => {
    const repo = await temp.repo();
    expect((await git(['diff', '--quiet', 'HEAD'], { cwd: repo, okExitCodes: [0, 1] })).exitCode).toBe(0);
  });

  it('names the folder when it does not exist, rather than blaming git', async () => {
    const missing = join(await temp.make(), 'gone');
    await expect(git(['status'], { cwd: missing })).rejects.toThrow(GitError);
    await expect(git(['status'], { cwd: missing })).rejects.toThrow(missing);
  });

  it('commits as coordinate even where no git identity is configured', async () => {
    const repo = await temp.repo();
    const home = await temp.make();
    const tree = (await git(['rev-parse', 'HEAD^{tree}'], { cwd: repo })).stdout.trim();
    const commit = (await git(['commit-tree', tree, '-m', 'x'], { cwd: repo, env: { HOME: home, GIT_CONFIG_NOSYSTEM: '1' } })).stdout.trim();
    expect((await git(['log', '-1', '--format=%an <%ae>|%cn <%ce>', commit], { cwd: repo })).stdout.trim()).toBe(
      'coordinate <coordinate@localhost>|coordinate <coordinate@localhost>',
    );
  });
});
