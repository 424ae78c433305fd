import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FixtureError } from './errors.js';
import { isolatedGit } from './fixture-repo.js';

/** The check every verify fixture has: prints `# pass 1` and exits 0 when src/value.txt says "good", else `# fail 1` and 1. */
export const VERIFY_CHECK = 'node check.js';
/** Exactly what run_command shows a model for a passing `node check.js`. */
export const VERIFY_CHECK_SHOWN_PASS = 'exit code 0\n\u001b[32mchecking value\u001b[39m\n# pass 1\n';
/** The same for a failing one. */
export const VERIFY_CHECK_SHOWN_FAIL = 'exit code 1\n\u001b[32mchecking value\u001b[39m\n# fail 1\n';
/** A check that writes only to stderr. */
export const VERIFY_STDERR_CHECK = 'node stderr.js';
/** A check whose output run_command cuts in the middle (it keeps 30 000 bytes): 4000 lines of 11 bytes, then `# pass 1`. */
export const VERIFY_LONG_CHECK = 'node long.js';
/** The note the model is shown where the long output was cut: 44 009 bytes, 30 000 kept. */
export const VERIFY_TRUNCATION_NOTE = '[… output truncated: 14009 of 44009 bytes cut from the middle …]';

const FILES: Readonly<Record<string, string>> = {
  // Deterministic output, so a test can script the exact text a verifier is shown.
  'check.js': [
    "import { readFileSync } from 'node:fs';",
    "const good = readFileSync('src/value.txt', 'utf8').trim() === 'good';",
    "console.log('\\u001b[32mchecking value\\u001b[39m');",
    "console.log(good ? '# pass 1' : '# fail 1');",
    'process.exit(good ? 0 : 1);',
    '',
  ].join('\n'),
  'stderr.js': "console.error('all 3 checks passed');\n",
  'long.js': "for (let i = 1; i <= 4000; i++) process.stdout.write(`line ${String(i).padStart(5, '0')}\\n`);\nprocess.stdout.write('# pass 1\\n');\n",
  'package.json': `${JSON.stringify({ name: 'verify-fixture', version: '1.0.0', private: true, type: 'module' })}\n`,
  '.gitignore': '.coordinate/\n',
};

/**
 * Writes the verify fixture into `dir` (empty or absent) as a git repository on `main` with one
 * commit: `node check.js` passes when `good`, fails otherwise. `config` becomes .coordinate/config.json.
 */
export async function createVerifyFixture(dir: string, options: { good: boolean; config?: Record<string, unknown> }): Promise<void> {
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new FixtureError('fixture_dir_not_empty', `${dir} is not empty: choose an empty or new folder for the fixture`, { dir });
  const files: Record<string, string> = { ...FILES, 'src/value.txt': options.good ? 'good\n' : 'bad\n' };
  if (options.config) files['.coordinate/config.json'] = JSON.stringify(options.config);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  await isolatedGit(dir, ['init', '-q', '-b', 'main']);
  await isolatedGit(dir, ['add', '-A']);
  await isolatedGit(dir, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Add the fixture']);
}
