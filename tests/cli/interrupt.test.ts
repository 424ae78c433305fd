import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { demoScenario } from '@coordinate/testkit';
import {
  cleanup,
  cliEnv,
  coordinate,
  isAlive,
  readJson,
  requestsFor,
  runDir,
  runIds,
  sampleRepo,
  scriptedServer,
  startCoordinate,
  trackPids,
  waitFor,
  workerPids,
  writePlanFile,
} from './helpers.js';
import { demoPlan, withDelay } from './scenarios.js';

const git = promisify(execFile);

afterEach(cleanup);

/** Starts `coordinate run plan.md` on the demo plan and resolves once the fix task is waiting for its (slow) model answer. */
async function startRunUntilFixIsInFlight(delayMs: number) {
  const repo = await sampleRepo({ workers: 1 });
  const server = await scriptedServer(withDelay(demoScenario(), 'fix-add', delayMs));
  const env = cliEnv(server);
  const plan = await writePlanFile(repo, demoPlan());
  const child = startCoordinate(['run', plan], { cwd: repo, env });
  await waitFor(() => server.requests.some((r) => r.taskId === 'fix-add'), 'the fix task to ask the model', 30_000);
  const [runId] = await runIds(repo, env);
  const pids = await workerPids(join(runDir(repo, runId!), 'journal.jsonl'));
  trackPids(pids);
  return { repo, server, env, child, runId: runId!, pids };
}

describe('interrupting a run', () => {
  it('continues after the coordinator was killed with SIGKILL: finished tasks are not re-run and the report matches an uninterrupted run', async () => {
    const { repo, server, env, child, runId, pids } = await startRunUntilFixIsInFlight(4_000);
    expect(requestsFor(server, 'find-bug')).toBe(3);
    child.kill('SIGKILL');
    await child;
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'the orphaned workers to stop', 20_000);

    const resumed = await coordinate(['resume'], { cwd: repo, env });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`Resuming run ${runId}`);

    const report = RunReport.parse(await readJson(join(runDir(repo, runId), 'report.json')));
    expect(report.outcome).toBe('succeeded');
    expect(report.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['find-bug', 'succeeded'],
      ['fix-add', 'succeeded'],
      ['run-tests', 'succeeded'],
    ]);
    // the research task's three scripted turns were answered once, before the kill
    expect(requestsFor(server, 'find-bug')).toBe(3);
    const { stdout } = await git('git', ['-C', repo, 'show', `coordinate/${runId}:src/math.js`]);
    expect(stdout).toContain('return a + b;');
  });

  it('stops the workers on Ctrl-C, writes the report and exits 130', async () => {
    const { repo, child, runId, pids } = await startRunUntilFixIsInFlight(60_000);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, String(result.stderr)).toBe(130);
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'every worker to stop', 10_000);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId), 'report.json')));
    expect(report.outcome).toBe('interrupted');
    expect(report.tasks.find((t) => t.id === 'find-bug')!.outcome).toBe('succeeded');
  });
});
