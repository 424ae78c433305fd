import type { Usage } from '@coordinate/protocol';
import { BudgetExhaustedError } from '@coordinate/protocol';
import type { EffectiveSettings } from '../config/index.js';
import { totalTokens } from '../report/index.js';

/** The run's budgets minus what planning spent: the planner's requests count towards the run. */
export function budgetsAfterPlanning(budgets: EffectiveSettings['budgets'], planning: Usage | undefined): EffectiveSettings['budgets'] {
  if (!planning) return budgets;
  const left = { ...budgets };
  if (budgets.maxCostUsd !== undefined) {
    left.maxCostUsd = budgets.maxCostUsd - planning.costUsd;
    if (left.maxCostUsd <= 0) {
      throw new BudgetExhaustedError(`planning spent the whole cost budget (maxCostUsd = $${budgets.maxCostUsd}); no task was started`, { budget: 'maxCostUsd' });
    }
  }
  if (budgets.maxTokens !== undefined) {
    left.maxTokens = budgets.maxTokens - totalTokens(planning);
    if (left.maxTokens <= 0) {
      throw new BudgetExhaustedError(`planning used the whole token budget (maxTokens = ${budgets.maxTokens}); no task was started`, { budget: 'maxTokens' });
    }
  }
  return left;
}
