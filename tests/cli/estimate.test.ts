import { join } from 'node:path';
import { showcaseScenario } from '@coordinate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, scriptedServer, SLOW_RUN, tempDir } from './helpers.js';

afterEach(cleanup);

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

describe('the cost estimate before a run', () => {
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
