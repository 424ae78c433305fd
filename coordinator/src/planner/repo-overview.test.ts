import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFixtureRepo, type FixtureRepo } from '@coordinate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { repoOverview } from './repo-overview.js';

let repo: FixtureRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('repoOverview', () => {
  it('summarizes folders, scripts, the test command, build files and the README head', async () => {
    repo = await createFixtureRepo();
    await mkdir(join(repo.dir, 'node_modules/dep'), { recursive: true });
    await writeFile(join(repo.dir, 'node_modules/dep/index.js'), '');
    await writeFile(join(repo.dir, 'Makefile'), 'all:\n');
    const overview = await repoOverview(repo.dir);
    expect(overview).toContain('src/ (1 file)');
    expect(overview).toContain('test/ (1 file)');
    expect(overview).toContain('test: node --test');
    expect(overview).toContain('Test command: npm test');
    expect(overview).toContain('Other build files: Makefile');
    expect(overview).toContain('A tiny library with one bug');
    expect(overview).not.toContain('node_modules');
    expect(overview).not.toContain('.git/');
  });

  it('stays within maxChars by cutting the README', async () => {
    repo = await createFixtureRepo();
    await writeFile(join(repo.dir, 'README.md'), `# big\n${'words '.repeat(5_000)}`);
    const overview = await repoOverview(repo.dir, { maxChars: 1_000 });
    expect(overview.length).toBeLessThanOrEqual(1_000);
    expect(overview).toContain('README.md (head)');
    expect(overview).toContain('Test command: npm test');
  });

  it('describes a folder without package.json or README', async () => {
    repo = await createFixtureRepo();
    await rm(join(repo.dir, 'package.json'));
    await rm(join(repo.dir, 'README.md'));
    const overview = await repoOverview(repo.dir);
    expect(overview).not.toContain('Test command');
    expect(overview).toContain('src/ (1 file)');
  });
});
