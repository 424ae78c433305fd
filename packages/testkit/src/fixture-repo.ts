import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { FixtureError } from './errors.js';

const run = promisify(execFile);

/** The files of the sample project: `add` subtracts, so `npm test` (node --test) fails until it is fixed. */
export const SAMPLE_FILES: Readonly<Record<string, string>> = {
  'package.json': `${JSON.stringify({ name: 'sample-math', version: '1.0.0', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'README.md': '# sample-math\n\nA tiny library with one bug: `add` gives the wrong answer. Run the tests with `npm test`.\n',
  'src/math.js': 'export function add(a, b) {\n  return a - b;\n}\n\nexport function multiply(a, b) {\n  return a * b;\n}\n',
  'test/math.test.js': [
    "import { test } from 'node:test';",
    "import assert from 'node:assert/strict';",
    "import { add, multiply } from '../src/math.js';",
    '',
    "test('add sums two numbers', () => {",
    '  assert.equal(add(2, 3), 5);',
    '});',
    '',
    "test('multiply multiplies two numbers', () => {",
    '  assert.equal(multiply(2, 3), 6);',
    '});',
    '',
  ].join('\n'),
  '.gitignore': 'node_modules/\n.coordinate/\n',
};

/** Git that ignores the machine's global and system config, with an explicit identity. */
export async function isolatedGit(dir: string, args: string[]): Promise<string> {
  const env = {
    PATH: process.env.PATH ?? '',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
    GIT_AUTHOR_NAME: 'Sample Author',
    GIT_AUTHOR_EMAIL: 'author@example.invalid',
    GIT_COMMITTER_NAME: 'Sample Author',
    GIT_COMMITTER_EMAIL: 'author@example.invalid',
  };
  const { stdout } = await run('git', args, { cwd: dir, env });
  return stdout;
}

/** Writes the sample project into `dir` (which must be empty or absent) as a git repository on `main` with one commit. */
export async function createSampleRepo(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  if (existing.length > 0) {
    throw new FixtureError('fixture_dir_not_empty', `${dir} is not empty: choose an empty or new folder for the sample repository`, { dir });
  }
  for (const [name, content] of Object.entries(SAMPLE_FILES)) {
    const file = join(dir, name);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  await isolatedGit(dir, ['init', '-q', '-b', 'main']);
  await isolatedGit(dir, ['add', '-A']);
  await isolatedGit(dir, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Add sample math library']);
}

export interface FixtureRepo {
  dir: string;
  cleanup(): Promise<void>;
}

/** The sample project in a fresh temp dir; `cleanup` removes it. */
export async function createFixtureRepo(options: { prefix?: string } = {}): Promise<FixtureRepo> {
  // realpath: tools compare resolved paths against the root, and some temp dirs sit behind a symlink.
  const dir = await realpath(await mkdtemp(join(tmpdir(), options.prefix ?? 'coordinate-fixture-')));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await createSampleRepo(dir);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, cleanup };
}
