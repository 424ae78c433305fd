import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, coordinate, runIds, tempDir } from './helpers.js';

const git = promisify(execFile);

afterEach(cleanup);

describe('coordinate demo', () => {
  it('runs two implementation tasks in parallel and a verification offline, merges both, and says where report.html is', async () => {
    const cwd = await tempDir();
    const dir = join(cwd, 'demo');
    const env = cliEnv();
    const result = await coordinate(['demo', '--dir', dir, '--latency', '300'], { cwd, env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`The demo ran in ${dir}`);
    // the person passed no --yes, and the demo does not say they did
    expect(result.stdout).not.toContain('--yes');
    expect(result.stdout).toContain('Approved (the demo approves its own plan).');
    expect(result.stdout).toMatch(/Starting run \S+ with 2 workers/);

    const [runId] = await runIds(dir, env);
    const { stdout: fixed } = await git('git', ['-C', dir, 'show', `coordinate/${runId}:src/math.js`]);
    expect(fixed).toContain('return a + b;');
    const { stdout: untouched } = await git('git', ['-C', dir, 'show', 'main:src/math.js']);
    expect(untouched).toContain('return a - b;');
    const { stdout: readme } = await git('git', ['-C', dir, 'show', `coordinate/${runId}:README.md`]);
    expect(readme).toContain('## Usage');
    expect(result.stdout).toContain(`the report: ${join(dir, '.coordinate', 'runs', runId!, 'report.html')}`);
    const events = (await readFile(join(dir, '.coordinate', 'runs', runId!, 'journal.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; taskId?: string });
    const firstFinish = events.findIndex((e) => e.type === 'task.finished');
    // both implementation tasks started before either finished: they ran side by side
    expect(events.slice(0, firstFinish).filter((e) => e.type === 'task.started').map((e) => e.taskId).sort()).toEqual(['document-add', 'fix-add']);

    const show = await coordinate(['show', runId!], { cwd: dir, env });
    expect(show.exitCode).toBe(0);
    expect(show.stdout).toContain('succeeded');
  }, 120_000);
});
