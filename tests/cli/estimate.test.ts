import { join } from 'node:path';
import { execa } from 'execa';
import type { Plan } from '@coordinate/plan';
import { demoScenario, fixRoundScenario, showcaseScenario, submitPlan, turn, type Scenario } from '@coordinate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, SLOW_RUN, tempDir, waitFor } from './helpers.js';
import { fixRoundPlan, researchOnlyPlan, researchOnlyScenario, widePlan, wideScenario } from './scenarios.js';

let stopPty: (() => void) | undefined;
afterEach(async () => {
  stopPty?.();
  stopPty = undefined;
  await cleanup();
});

interface ShownEstimate {
  central: number;
  low: number;
  high: number;
}

/** The estimate as the plan's review shows it: "Estimate: ~$0.05 ($0.03 to $0.10), …". */
function shownEstimate(output: string): ShownEstimate {
  const match = /Estimate: ~\$([\d.]+) \(\$([\d.]+) to \$([\d.]+)\)/.exec(output);
  if (!match) throw new Error(`no estimate in the output:\n${output}`);
  return { central: Number(match[1]), low: Number(match[2]), high: Number(match[3]) };
}

const reportedCost = async (repo: string, runId: string) => ((await readJson(join(runDir(repo, runId), 'report.json'))) as { usage: { costUsd: number } }).usage.costUsd;

/** The scenario with its planner submitting `plan`. */
const plannedBy = (plan: Plan, scenario: Scenario): Scenario => ({ ...scenario, planner: [turn(submitPlan(plan))] });

const MODULES = Array.from({ length: 59 }, (_, i) => `module-${i + 1}`);

/** Sixty tasks (59 new modules with their tests, then the test suite): a plan too big for a budget of $0.60. */
const sixtyTaskPlan: Plan = {
  goal: 'Tidy the project',
  summary: 'One module each, then the tests.',
  tasks: [
    ...MODULES.map((id) => ({ id, title: `Write ${id}`, role: 'implement' as const, instructions: `Write src/${id}.js with a documented function.`, dependsOn: [], files: [`src/${id}.js`, `test/${id}.test.js`] })),
    { id: 'run-tests', title: 'Run the test suite', role: 'verify', instructions: 'Run npm test.', dependsOn: MODULES, commands: ['npm test'] },
  ],
};

/** The test suite's fixtures, one of each shape a plan takes. */
const FIXTURES: { shape: string; config?: Record<string, unknown>; scenario: () => Scenario }[] = [
  { shape: 'research only', scenario: () => plannedBy(researchOnlyPlan, researchOnlyScenario()) },
  { shape: 'research, an implementation and a verification', scenario: demoScenario },
  { shape: 'two implementations in parallel and a verification', scenario: () => showcaseScenario({ plannerDelayMs: 0, turnDelayMs: 0 }) },
  { shape: 'a failed verification and its fix round', config: { fixRounds: 1 }, scenario: () => plannedBy(fixRoundPlan, fixRoundScenario()) },
  { shape: 'nine tasks in three waves', scenario: () => plannedBy(widePlan, wideScenario()) },
];

describe('the cost estimate before a run', () => {
  it.each(FIXTURES)('brackets what the run really costs, on a repository with no past runs: $shape', async ({ config, scenario }) => {
    const repo = await sampleRepo(config);
    const server = await scriptedServer(scenario());
    const env = cliEnv(server);
    const run = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env, timeoutMs: SLOW_RUN });
    expect(run.exitCode, run.stderr).toBe(0);
    const shown = shownEstimate(run.stdout);
    const [runId] = await runIds(repo, env);
    const cost = await reportedCost(repo, runId!);
    expect(shown.low).toBeLessThanOrEqual(cost);
    expect(shown.high).toBeGreaterThanOrEqual(cost);
    expect(shown.central).toBeLessThanOrEqual(cost * 2);
    expect(shown.central).toBeGreaterThanOrEqual(cost / 2);
  }, SLOW_RUN);

  it('warns when the upper end of the estimate passes --max-cost: in `coordinate plan`, and in the approval before anything runs', async () => {
    const repo = await sampleRepo();
    const warning = /Warning: the estimate reaches \$[\d.]+, over the cost budget of \$0\.60; the run may stop before it finishes/;
    const planned = await coordinate(['plan', 'Tidy the project', '--max-cost', '0.6', '-o', 'plan.md'], { cwd: repo, env: cliEnv(await scriptedServer(plannedBy(sixtyTaskPlan, {}))), timeoutMs: SLOW_RUN });
    expect(planned.exitCode, planned.stderr).toBe(0);
    expect(planned.stdout).toMatch(warning);
    const roomy = await coordinate(['plan', 'Tidy the project', '--max-cost', '50', '-o', 'plan.md'], { cwd: repo, env: cliEnv(await scriptedServer(plannedBy(sixtyTaskPlan, {}))), timeoutMs: SLOW_RUN });
    expect(roomy.exitCode, roomy.stderr).toBe(0);
    expect(roomy.stdout).toMatch(/Estimate: ~\$/);
    expect(roomy.stdout).not.toContain('Warning: the estimate reaches');

    // the run asks in a terminal: the warning stands beside the question, and quitting spends nothing more
    const server = await scriptedServer(plannedBy(sixtyTaskPlan, {}));
    const child = execa('script', ['-qefc', `${process.execPath} ${BIN} 'Tidy the project' --max-cost 0.6`, '/dev/null'], { cwd: repo, env: cliEnv(server, { TERM: 'dumb' }), extendEnv: false, reject: false, timeout: 60_000 });
    stopPty = () => child.kill('SIGKILL');
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (output += chunk));
    await waitFor(() => output.includes('Run this plan?'), 'the approval prompt', 30_000);
    expect(output).toMatch(warning);
    child.stdin.write('q');
    expect((await child).exitCode).toBe(3);
    expect(server.requests.filter((r) => r.route === 'task')).toHaveLength(0);
  }, 2 * SLOW_RUN);

  it('brackets what the demo really costs, and once the repository has a run, comes from that run\'s usage', async () => {
    const cwd = await tempDir();
    const dir = join(cwd, 'demo');
    const env = cliEnv();
    const demo = await coordinate(['demo', '--dir', dir, '--latency', '0'], { cwd, env, timeoutMs: SLOW_RUN });
    expect(demo.exitCode, demo.stderr).toBe(0);
    const first = shownEstimate(demo.stdout);
    const [firstRun] = await runIds(dir, env);
    const firstCost = await reportedCost(dir, firstRun!);
    expect(first.low).toBeLessThanOrEqual(firstCost);
    expect(first.high).toBeGreaterThanOrEqual(firstCost);
    expect(first.central).toBeLessThanOrEqual(firstCost * 2);
    expect(first.central).toBeGreaterThanOrEqual(firstCost / 2);
    expect(demo.stdout).not.toContain("from this repository's past runs");

    // the same work again in the same repository: the estimate now follows the first run's usage
    const server = await scriptedServer(showcaseScenario());
    const again = await coordinate(['Make the failing test pass', '--yes'], { cwd: dir, env: cliEnv(server), timeoutMs: SLOW_RUN });
    expect(again.exitCode, again.stderr).toBe(0);
    const second = shownEstimate(again.stdout);
    expect(again.stdout).toContain("from this repository's past runs");
    const secondRun = (await runIds(dir, env)).find((id) => id !== firstRun)!;
    const secondCost = await reportedCost(dir, secondRun);
    expect(second.low).toBeLessThanOrEqual(secondCost);
    expect(second.high).toBeGreaterThanOrEqual(secondCost);
    expect(Math.abs(second.central - secondCost)).toBeLessThan(Math.abs(first.central - firstCost));
  }, 3 * SLOW_RUN);
});
