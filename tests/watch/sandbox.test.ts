import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, sampleRepo, scriptedServer, startCoordinate, tempDir, waitFor } from '../cli/helpers.js';
import { commitFile, FIXED_MATH, receipts, stopForeground, ticks } from './helpers.js';
import { triageScenario } from './scenarios.js';

afterEach(cleanup);

describe('coordinate watch, the checks of a new commit', () => {
  it('run inside the OS sandbox: a command cannot write outside the commit\'s worktree', async () => {
    const outside = join(await tempDir(), 'escaped.txt');
    const repo = await sampleRepo({ commands: { test: `touch ${outside} && npm test` } });
    const model = await scriptedServer(triageScenario([{ kind: 'note', reason: 'the check could not write' }]));
    const watcher = startCoordinate(['watch', '--every', '300ms'], { cwd: repo, env: cliEnv(model, { COORDINATE_WATCH_DESKTOP: '0' }) });
    await ticks(repo, 1);
    await commitFile(repo, 'src/math.js', FIXED_MATH, 'Fix add');
    const finding = await waitFor(async () => (await receipts(repo)).flatMap((r) => r.findings).at(0), 'the finding', 60_000);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(finding.title).toMatch(/^main broke at \w+: `touch .*escaped\.txt && npm test` exited [1-9]/);
    expect(await stat(outside).catch(() => undefined)).toBeUndefined();
  });
});
