import type { Usage } from '@coordinate/protocol';
import type { ModelPrice } from './pricing.js';

export interface TaskBudget {
  maxTokens?: number;
  maxCostUsd?: number;
}

export const estimateTokens = (value: unknown): number => Math.ceil(JSON.stringify(value).length / 4);

/**
 * Why the next request must not be sent, or undefined. Budgets fail closed: the check assumes the
 * worst case for the request (all its input written to the cache at the dearer rate, and every
 * allowed output token spent), so a task never ends up past its budget.
 */
export function budgetStop(budget: TaskBudget, used: Usage, next: { inputTokens: number; maxOutputTokens: number }, price: ModelPrice): string | undefined {
  const { inputTokens, maxOutputTokens } = next;
  if (budget.maxTokens !== undefined) {
    const spent = used.inputTokens + used.outputTokens + used.cacheWriteTokens + used.cacheReadTokens;
    if (spent + inputTokens + maxOutputTokens > budget.maxTokens) {
      return `the token budget (maxTokens = ${budget.maxTokens}) would be passed: ${spent} tokens used, the next request may take up to ${inputTokens + maxOutputTokens}`;
    }
  }
  if (budget.maxCostUsd !== undefined) {
    const worst = (inputTokens * Math.max(price.input, price.cacheWrite) + maxOutputTokens * price.output) / 1_000_000;
    if (used.costUsd + worst > budget.maxCostUsd) {
      return `the cost budget (maxCostUsd = $${budget.maxCostUsd}) would be passed: $${used.costUsd.toFixed(4)} spent, the next request may cost up to $${worst.toFixed(4)}`;
    }
  }
  return undefined;
}
