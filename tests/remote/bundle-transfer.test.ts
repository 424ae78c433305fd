import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executeRun, type JournalEvent } from 'coordinate';
import { cleanUp, fixtureRepo, git, tempDir } from '../orchestrate/helpers.js';
import { killWorkersByHand, startWorkerByHand, waitFor } from '../runtime/helpers.js';
import { executorSettingsOf, FIX, fixPlan, TOKEN } from './helpers.js';

afterEach(async () => {
  await killWorkersByHand();
  await cleanUp();
});

describe('a worker without the repository', () => {
  it('runs research, implementation and verification from bundles, and its fix lands on the run branch', async () => {
    const repo = await fixtureRepo();
    const elsewhere = await tempDir('coordinate-remote-worker-');
    const readme = await readFile(join(repo.dir, 'README.md'), 'utf8');
    let url: string | undefined;
    const events: JournalEvent[] = [];
    const plan = fixPlan(readme);
    const run = executeRun({
      repoRoot: repo.dir,
      runId: 'afar',
      goal: 'fix it from afar',
      tasks: plan.tasks,
      executorSettings: executorSettingsOf(plan),
      workers: 0,
      executor: 'deterministic',
      token: TOKEN,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'run.started') url = event.url;
      },
    });
    const worker = startWorkerByHand(await waitFor(() => url, 'the coordinator to listen'), elsewhere, { COORDINATE_TOKEN: TOKEN });
    const result = await run;
    expect(result.report.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['survey', 'succeeded'],
      ['fix', 'succeeded'],
      ['check', 'succeeded'],
    ]);
    expect(result.outcome).toBe('succeeded');
    expect(await git(repo.dir, ['show', `coordinate/afar:${FIX.path}`])).toBe(FIX.content);
    expect(events.filter((e) => e.type === 'worker.joined')).toEqual([expect.objectContaining({ remote: true })]);
    expect((await worker).exitCode).toBe(0);
  });
});
