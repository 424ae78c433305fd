import type { BudgetName, Usage } from '@coordinate/protocol';
import type { ModelPrice } from './pricing.js';

export interface TaskBudget {
  maxTokens?: number;
  maxCostUsd?: number;
}

export const estimateTokens = (value: unknown): number => Math.ceil(JSON.stringify(value).length / 4);

type CountedInput = { input_tokens: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null };

/**
 * The input size of the next request, for the budget check. Once the model has counted a prompt,
 * that count stands for everything it held and only the messages added since are estimated, so
 * the check stays exact-ish and costs nothing on a long conversation (stringifying the whole
 * history every turn made it quadratic).
 */
export class PromptSizeEstimate {
  #tokens: number;
  #messages = 0;

  constructor(fixedTokens: number) {
    this.#tokens = fixedTokens;
  }

  of(messages: readonly unknown[]): number {
    return this.#tokens + estimateTokens(messages.slice(this.#messages));
  }

  /** The model's own count of a prompt that held the first `messages` messages. */
  counted(usage: CountedInput, messages: number): void {
    const tokens = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
    // A server that counts nothing (some local ones) leaves the estimate as it was.
    if (tokens === 0) return;
    this.#tokens = tokens;
    this.#messages = messages;
  }
}

/** Which budget the next request would pass, and why in words. */
export interface BudgetStopReason {
  budget: Exclude<BudgetName, 'timeoutMs'>;
  reason: string;
}

/**
 * Why the next request must not be sent, or undefined. Budgets fail closed: the check assumes the
 * worst case for the request (all its input written to the cache at the dearer rate, and every
 * allowed output token spent), so a task never ends up past its budget.
 */
export function budgetStop(budget: TaskBudget, used: Usage, next: { inputTokens: number; maxOutputTokens: number }, price: ModelPrice): BudgetStopReason | undefined {
  const { inputTokens, maxOutputTokens } = next;
  if (budget.maxTokens !== undefined) {
    const spent = used.inputTokens + used.outputTokens + used.cacheWriteTokens + used.cacheReadTokens;
    if (spent + inputTokens + maxOutputTokens > budget.maxTokens) {
      return {
        budget: 'maxTokens',
        reason: `the token budget (maxTokens = ${budget.maxTokens}) would be passed: ${spent} tokens used, the next request may take up to ${inputTokens + maxOutputTokens}`,
      };
    }
  }
  if (budget.maxCostUsd !== undefined) {
    const worst = (inputTokens * Math.max(price.input, price.cacheWrite) + maxOutputTokens * price.output) / 1_000_000;
    if (used.costUsd + worst > budget.maxCostUsd) {
      return {
        budget: 'maxCostUsd',
        reason: `the cost budget (maxCostUsd = $${budget.maxCostUsd}) would be passed: $${used.costUsd.toFixed(4)} spent, the next request may cost up to $${worst.toFixed(4)}`,
      };
    }
  }
  return undefined;
}
