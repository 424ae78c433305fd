import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { priceFor, usageOfResponse } from '@coordinate/model';
import type { Plan } from '@coordinate/plan';
import { completeTask, submitPlan, text, toolUse, turn, type RecordedRequest, type Scenario } from '@coordinate/testkit';
import { RunReport } from '../../coordinator/src/report/schema.js';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer } from './helpers.js';

afterEach(cleanup);

const MODEL = 'claude-haiku-5-5';
const TASKS = ['survey-a', 'survey-b', 'survey-c'];
const TURNS = 14;

/** Three research tasks that can all run at once, each reading files for many turns before it finishes. */
const parallelPlan: Plan = {
  goal: 'Survey the repository',
  summary: 'Three independent surveys.',
  tasks: TASKS.map((id) => ({ id, title: `Survey ${id}`, role: 'research' as const, instructions: 'Read the sources and report.', dependsOn: [] })),
};

function parallelScenario(): Scenario {
  // Each turn thinks aloud at length, so the requests cost enough for the budget to bind part-way.
  const thoughts = text('Reading on. '.repeat(600));
  const reading = Array.from({ length: TURNS }, (_, i) => ({ ...turn(thoughts, toolUse('read_file', { path: i % 2 ? 'src/math.js' : 'package.json' })), delayMs: 15 }));
  return {
    planner: [turn(submitPlan(parallelPlan))],
    tasks: Object.fromEntries(TASKS.map((id) => [id, [...reading, turn(completeTask({ status: 'succeeded', summary: `${id} done` }))]])),
  };
}

/** What the server billed, at the built-in prices the run uses: every answered request, the planner's too. */
function billedUsd(requests: readonly RecordedRequest[]): number {
  return requests.filter((r) => r.status === 200 && r.usage).reduce((sum, r) => sum + usageOfResponse(r.usage!, priceFor(r.model!)).costUsd, 0);
}

describe('spend is never lost', () => {
  it('keeps three parallel tasks within --max-cost and reports exactly what the server billed, the planner and the stopped tasks included', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(parallelScenario());
    const env = cliEnv(server);
    const maxCost = 0.12;
    const result = await coordinate(['Survey the repository', '--yes', '--workers', '3', '--model', MODEL, '--max-cost', String(maxCost)], {
      cwd: repo,
      env,
      timeoutMs: 90_000,
    });
    expect(result.exitCode, result.stderr).toBe(4);

    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.outcome).toBe('budget_exhausted');
    expect(report.budget?.name).toBe('maxCostUsd');

    const billed = billedUsd(server.requests);
    const answered = server.requests.filter((r) => r.status === 200).length;
    // The budget stopped tasks part-way: not every scripted turn was asked for.
    expect(answered).toBeLessThan(1 + TASKS.length * (TURNS + 1));
    expect(billed).toBeLessThanOrEqual(maxCost);
    expect(report.usage.costUsd).toBeCloseTo(billed, 9);
    expect(report.usage.requests).toBe(answered);
    // Each task's figure adds up to the total with the planner's share.
    const tasksUsd = report.tasks.reduce((sum, task) => sum + task.usage.costUsd, 0);
    const plannerUsd = billedUsd(server.requests.filter((r) => r.route === 'planner'));
    expect(plannerUsd).toBeGreaterThan(0);
    expect(tasksUsd + plannerUsd).toBeCloseTo(billed, 9);
  }, 120_000);
});
