import type { ModelPrice, Usage } from '@coordinate/protocol';

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

/** The next request as the budget sees it: its estimated input and the output it may produce. */
export interface NextRequest {
  inputTokens: number;
  maxOutputTokens: number;
}

/**
 * The most a request can take: every input token at the dearer of the input and cache-write rates
 * (it may all be written to the cache) and every allowed output token. Tokens are a count, cost
 * is in US dollars.
 */
export function worstCase(next: NextRequest, price: ModelPrice): { tokens: number; costUsd: number } {
  return {
    tokens: next.inputTokens + next.maxOutputTokens,
    costUsd: (next.inputTokens * Math.max(price.input, price.cacheWrite) + next.maxOutputTokens * price.output) / 1_000_000,
  };
}

/**
 * Why the next request must not be sent, or undefined. Budgets fail closed: the check assumes the
 * request's worst case, so a task never ends up past its budget.
 */
export function budgetStop(budget: TaskBudget, used: Usage, next: NextRequest, price: ModelPrice): BudgetRefusal | undefined {
  const worst = worstCase(next, price);
  if (budget.maxTokens !== undefined) {
    const spent = used.inputTokens + used.outputTokens + used.cacheWriteTokens + used.cacheReadTokens;
    if (spent + worst.tokens > budget.maxTokens) {
      const reason = `the token budget (maxTokens = ${budget.maxTokens}) would be passed: ${spent} tokens used, the next request may take up to ${worst.tokens}`;
      return { budget: 'maxTokens', reason };
    }
  }
  if (budget.maxCostUsd !== undefined && used.costUsd + worst.costUsd > budget.maxCostUsd) {
    const reason = `the cost budget (maxCostUsd = $${budget.maxCostUsd}) would be passed: $${used.costUsd.toFixed(4)} spent, the next request may cost up to $${worst.costUsd.toFixed(4)}`;
    return { budget: 'maxCostUsd', reason };
  }
  return undefined;
}

/**
 * The output limit (`max_tokens`) of a request that keeps its worst case within the budget:
 * `wanted` when that fits, fewer when the budget is tight, never fewer than `least` — below that
 * the answer would be too short to be of use, so the request is refused instead, in the words of
 * `budgetStop` for a request of `least` output tokens. `inputTokens` is the request's estimated input.
 */
export function fitOutput(
  budget: TaskBudget,
  used: Usage,
  inputTokens: number,
  price: ModelPrice,
  limits: { wanted: number; least: number },
): { maxOutputTokens: number } | { refusal: BudgetRefusal } {
  let room = limits.wanted;
  if (budget.maxTokens !== undefined) {
    const spent = used.inputTokens + used.outputTokens + used.cacheWriteTokens + used.cacheReadTokens;
    room = Math.min(room, budget.maxTokens - spent - inputTokens);
  }
  if (budget.maxCostUsd !== undefined) {
    const left = budget.maxCostUsd - used.costUsd - (inputTokens * Math.max(price.input, price.cacheWrite)) / 1_000_000;
    // free output (a price table's 0) leaves the input alone to pass the budget
    if (left < 0) room = -1;
    else if (price.output > 0) room = Math.min(room, Math.floor((left * 1_000_000) / price.output));
  }
  if (room >= limits.least) return { maxOutputTokens: room };
  const refusal = budgetStop(budget, used, { inputTokens, maxOutputTokens: limits.least }, price);
  // rounding can leave `least` just within the budget; it still fits, so it is asked for
  return refusal ? { refusal } : { maxOutputTokens: limits.least };
}

/** Why a request was not sent: the budget that cannot cover it, by name and in words. */
export interface BudgetRefusal {
  budget: 'maxTokens' | 'maxCostUsd';
  reason: string;
}
