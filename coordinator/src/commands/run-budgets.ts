import { BudgetExhaustedError, type Usage } from '@coordinate/protocol';
import type { EffectiveSettings } from '../config/index.js';
import { totalTokens } from '../report/index.js';

/**
 * Refuses to start tasks when planning already spent a whole budget: the planner's requests count
 * towards the run, whose budget guard starts from what planning spent.
 */
export function assertBudgetLeftAfterPlanning(budgets: EffectiveSettings['budgets'], planning: Usage | undefined): void {
  if (!planning) return;
  if (budgets.maxCostUsd !== undefined && planning.costUsd >= budgets.maxCostUsd) {
    throw new BudgetExhaustedError(`planning spent the whole cost budget (maxCostUsd = $${budgets.maxCostUsd}); no task was started`, { budget: 'maxCostUsd' });
  }
  if (budgets.maxTokens !== undefined && totalTokens(planning) >= budgets.maxTokens) {
    throw new BudgetExhaustedError(`planning used the whole token budget (maxTokens = ${budgets.maxTokens}); no task was started`, { budget: 'maxTokens' });
  }
}
