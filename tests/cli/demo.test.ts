import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, coordinate, runIds, tempDir } from './helpers.js';

const git = promisify(execFile);

afterEach(cleanup);

describe('coordinate demo', () => {
  it('runs the whole pipeline offline in a fresh folder and leaves the fix on the run branch', async () => {
    const cwd = await tempDir();
    const dir = join(cwd, 'demo');
    const env = cliEnv();
    const result = await coordinate(['demo', '--dir', dir], { cwd, env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`The demo ran in ${dir}`);

    const [runId] = await runIds(dir, env);
    const { stdout: fixed } = await git('git', ['-C', dir, 'show', `coordinate/${runId}:src/math.js`]);
    expect(fixed).toContain('return a + b;');
    const { stdout: untouched } = await git('git', ['-C', dir, 'show', 'main:src/math.js']);
    expect(untouched).toContain('return a - b;');

    const show = await coordinate(['show', runId!], { cwd: dir, env });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('succeeded');
  });
});
