import type { Plan } from '@coordinate/plan';
import type { Usage } from '@coordinate/protocol';
import { estimatePlanCost, readCalibration, type PlanCostEstimate } from '../approval/index.js';
import type { EffectiveSettings } from '../config/index.js';
import { fileSizesAt } from '../git/index.js';
import { priceTable, roleModels, toolPolicy } from './settings.js';

/**
 * The estimate of a plan in this repository under these settings: the built-in or configured
 * prices of the roles' models, the calibration from the repository's past runs, and the sizes of
 * the files at HEAD (what the tasks' worktrees start from). Reads them once; the returned function
 * prices each candidate plan (after an edit or a revision) with what planning has spent so far.
 */
export async function planEstimator(repoRoot: string, settings: EffectiveSettings): Promise<(plan: Plan, spent: Usage) => PlanCostEstimate> {
  const input = { prices: priceTable(settings), models: roleModels(settings), policy: toolPolicy(settings) };
  const calibration = await readCalibration(repoRoot, input);
  const fileSizes = await fileSizesAt(repoRoot, 'HEAD');
  return (plan, spent) => estimatePlanCost(plan, { ...input, calibration, spent, ...(fileSizes ? { fileSizes } : {}) });
}
