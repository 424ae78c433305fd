import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Plan } from '@coordinate/plan';
import type { Role, ToolPolicy } from '@coordinate/protocol';
import { fileSizesAt } from '../git/index.js';
import { RunReport } from '../report/index.js';
import { coordinateDir, runPaths } from '../run/layout.js';
import { costOf, ESTIMATE_ASSUMPTIONS, modelOfRole, priorTaskTokens, type Calibration, type EstimateInput } from './estimate.js';

/** The newest runs looked at: enough to smooth one odd run out, few enough to follow a change of model or repository. */
const RUNS_LOOKED_AT = 20;

/**
 * How this repository's past runs compare with the estimate's priors, per role: the real cost of
 * every task of the role that ran (its recorded usage, at today's price of the role's model), the
 * tasks a run added (fix rounds, conflict resolutions) included, over the priors' figure for the
 * role's planned tasks, with the declared files as they were at the run's base commit. Reads each run's report.json and plan.json in .coordinate/runs; a file
 * that is missing or does not parse is passed over (they are untrusted input). Roles no past run
 * measured are absent.
 */
export async function readCalibration(repoRoot: string, estimate: Pick<EstimateInput, 'prices' | 'models'> & { policy?: ToolPolicy }): Promise<Calibration> {
  const entries = await readdir(join(coordinateDir(repoRoot), 'runs'), { withFileTypes: true }).catch(() => []);
  // run ids start with their UTC start time, so the newest sort last
  const runIds = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort().slice(-RUNS_LOOKED_AT);
  const real: Partial<Record<Role, number>> = {};
  const prior: Partial<Record<Role, number>> = {};
  const trees = new Map<string, Promise<Map<string, number> | undefined>>();
  // runs mostly start from a few commits: each tree is listed once
  const sizesAt = (commit: string) => trees.get(commit) ?? trees.set(commit, fileSizesAt(repoRoot, commit)).get(commit)!;
  for (const runId of runIds) {
    const paths = runPaths(repoRoot, runId);
    const report = RunReport.safeParse(await readJson(paths.reportJson));
    const plan = Plan.safeParse(await readJson(paths.planJson));
    if (!report.success || !plan.success) continue;
    const base = report.data.baseCommit;
    const fileSizes = base === undefined ? undefined : await sizesAt(base);
    const priors = priorTaskTokens(plan.data, estimate.policy, fileSizes);
    for (const task of report.data.tasks) {
      const model = modelOfRole(estimate.models, task.role);
      const price = model === undefined ? undefined : estimate.prices[model];
      // a task that never reached the model says nothing about what a task costs
      if (!price || task.usage.requests === 0) continue;
      real[task.role] = (real[task.role] ?? 0) + costOf(task.usage, price);
      // an added task has no prior: what it cost counts against the planned tasks of its role
      const expected = priors.get(task.id);
      if (expected) prior[task.role] = (prior[task.role] ?? 0) + costOf(expected, price);
    }
  }
  const calibration: Calibration = {};
  const { maxCalibration } = ESTIMATE_ASSUMPTIONS;
  for (const role of Object.keys(real) as Role[]) {
    const expected = prior[role];
    if (expected === undefined || expected <= 0) continue;
    calibration[role] = Math.min(maxCalibration, Math.max(1 / maxCalibration, real[role]! / expected));
  }
  return calibration;
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
