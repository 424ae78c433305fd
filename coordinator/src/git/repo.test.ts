import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EmptyRepositoryError, GitVersionError, NotAGitRepositoryError } from './errors.js';
import { isGitVersionAtLeast, parseGitVersion } from './git-version.js';
import { inspectRepo, requireGitForImplementation } from './repo.js';
import { TempDirs, sh, writeFiles } from './test-repo.test-helper.js';

const temp = new TempDirs();

function thrownBy(fn: () => unknown): NotAGitRepositoryError {
  try {
    fn();
  } catch (error) {
    return error as NotAGitRepositoryError;
  }
  throw new Error('expected a refusal');
}
afterEach(() => temp.removeAll());

describe('inspectRepo', () => {
  it('describes a clean repository: root, HEAD commit, current branch, installed git', async () => {
    const repo = await temp.repo({ 'src/a.ts': 'export {};\n' });
    const info = await inspectRepo(join(repo, 'src'));
    expect(info).toMatchObject({ isGit: true, currentBranch: 'main', dirty: false, headCommit: (await sh(repo, ['rev-parse', 'HEAD'])).trim() });
    expect(await sh(repo, ['rev-parse', '--show-toplevel'])).toBe(info.root);
    expect(info.gitVersion).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('counts uncommitted edits and untracked files as dirty, but not the .coordinate folder', async () => {
    const repo = await temp.repo();
    await writeFiles(repo, { '.coordinate/runs/r1/journal.jsonl': '{}\n' });
    expect((await inspectRepo(repo)).dirty).toBe(false);
    await writeFile(join(repo, 'notes.txt'), 'scratch\n');
    expect((await inspectRepo(repo)).dirty).toBe(true);
  });

  it('reports a detached HEAD as having no current branch', async () => {
    const repo = await temp.repo();
    await sh(repo, ['checkout', '--quiet', '--detach']);
    const info = await inspectRepo(repo);
    expect(info.isGit).toBe(true);
    expect(info.currentBranch).toBeUndefined();
  });
});

describe('requireGitForImplementation', () => {
  it('refuses implementation in a folder that is not a git repository, naming the folder and what to do', async () => {
    const dir = await temp.make();
    const info = await inspectRepo(dir);
    expect(info.isGit).toBe(false);
    expect(() => requireGitForImplementation(info)).toThrow(NotAGitRepositoryError);
    const refusal = thrownBy(() => requireGitForImplementation(info));
    expect(refusal.code).toBe('not_a_git_repo');
    expect(refusal.message).toContain(dir);
    expect(refusal.message).toContain('git init');
  });

  it('refuses a repository without any commit, since the run branch needs a base', async () => {
    const dir = await temp.make();
    await sh(dir, ['init', '--quiet', '-b', 'main']);
    expect(() => requireGitForImplementation({ dir, isGit: true, root: dir, gitVersion: '2.39.5' })).toThrow(EmptyRepositoryError);
  });

  it('refuses a git older than 2.38 and names the version needed', () => {
    const info = { dir: '/x', isGit: true, root: '/x', headCommit: 'a'.repeat(40), gitVersion: '2.37.1' };
    expect(() => requireGitForImplementation(info)).toThrow(GitVersionError);
    expect(() => requireGitForImplementation(info)).toThrow(/2\.37\.1 is too old.*2\.38\.0 or later/);
  });

  it('accepts a repository with a commit and a recent git', async () => {
    const repo = await temp.repo();
    expect(requireGitForImplementation(await inspectRepo(repo)).headCommit).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('git versions', () => {
  it('reads the version from the forms git prints on different systems', () => {
    expect(parseGitVersion('git version 2.39.5\n')).toBe('2.39.5');
    expect(parseGitVersion('git version 2.37.1 (Apple Git-137.1)')).toBe('2.37.1');
    expect(parseGitVersion('git version 2.41.0.windows.1')).toBe('2.41.0');
    expect(parseGitVersion('git version 3.0')).toBe('3.0.0');
  });

  it('compares versions numerically, not as text', () => {
    expect(isGitVersionAtLeast('2.38.0', '2.38.0')).toBe(true);
    expect(isGitVersionAtLeast('2.100.0', '2.38.0')).toBe(true);
    expect(isGitVersionAtLeast('2.9.9', '2.38.0')).toBe(false);
    expect(isGitVersionAtLeast('3.0.0', '2.38.0')).toBe(true);
  });
});
