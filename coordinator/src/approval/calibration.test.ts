import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '@coordinate/plan';
import { emptyUsage } from '@coordinate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleReport } from '../report/report.test-helper.js';
import type { RunReport } from '../report/schema.js';
import { readCalibration } from './calibration.js';
import { costOf, priorTaskTokens } from './estimate.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const price = { input: 3, output: 15 };
const estimate = { prices: { m: price }, models: 'm' };
const plan: Plan = {
  goal: 'Fix add',
  summary: '',
  tasks: [
    { id: 'fix', title: 'Fix add', role: 'implement', instructions: 'Make add return the sum.', dependsOn: [], files: ['src/math.js'] },
    { id: 'tests', title: 'Run the tests', role: 'verify', instructions: 'Run npm test.', dependsOn: ['fix'], commands: ['npm test'] },
  ],
};
const usage = (outputTokens: number, cacheReadTokens: number) => ({ ...emptyUsage(), outputTokens, cacheReadTokens, requests: 2 });
const [template] = sampleReport().tasks;
const taskOf = (id: string, role: 'implement' | 'verify', used: ReturnType<typeof usage>) => ({ ...template!, id, title: id, role, usage: used });

/** A repository whose one past run is `tasks`. */
async function repoWithRun(tasks: RunReport['tasks']): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'coordinate-calibration-'));
  dirs.push(root);
  const run = join(root, '.coordinate', 'runs', '20260101-100000-aaaa');
  await mkdir(run, { recursive: true });
  await writeFile(join(run, 'plan.json'), JSON.stringify(plan));
  await writeFile(join(run, 'report.json'), JSON.stringify(sampleReport({ tasks })));
  return root;
}

describe('readCalibration', () => {
  it('counts what the tasks a run added (a fix round) cost against the planned tasks of their role', async () => {
    const planned = [taskOf('fix', 'implement', usage(300, 4000)), taskOf('tests', 'verify', usage(200, 3000))];
    const fixRound = [taskOf('tests-fix1', 'implement', usage(300, 4000)), taskOf('tests-re1', 'verify', usage(200, 3000))];
    const without = await readCalibration(await repoWithRun(planned), estimate);
    const withFix = await readCalibration(await repoWithRun([...planned, ...fixRound]), estimate);
    const prior = priorTaskTokens(plan);
    for (const [role, id] of [['implement', 'fix'], ['verify', 'tests']] as const) {
      // the added task of the role cost what the planned one did: the role's figure doubles
      expect(without[role]).toBeCloseTo(costOf(planned.find((t) => t.role === role)!.usage, price) / costOf(prior.get(id)!, price), 10);
      expect(withFix[role]).toBeCloseTo(2 * without[role]!, 10);
    }
  });
});
