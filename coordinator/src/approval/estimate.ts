import type { Role } from '@coordinate/protocol';
import type { Plan } from '@coordinate/plan';
import type { ModelPrice } from '../config/index.js';

/**
 * A rough, order-of-magnitude figure to show before approval, not a quote. Each task is taken
 * as a number of model turns for its role; each turn sends a cached prefix that grows with the
 * conversation (read from the cache), some new context (written to the cache), fresh input, and
 * an answer. Real runs vary by about half to twice this, which the range says.
 */
export const ESTIMATE_ASSUMPTIONS = {
  turnsPerTask: { research: 8, implement: 15, verify: 6 } satisfies Record<Role, number>,
  perTurn: { inputTokens: 2_000, cacheReadTokens: 15_000, cacheWriteTokens: 2_000, outputTokens: 1_000 },
  range: { low: 0.5, high: 2 },
};

export interface PlanCostEstimate {
  tokens: number;
  /** Undefined when a model used by the plan has no price. */
  costUsd?: number;
  lowUsd?: number;
  highUsd?: number;
  unpricedModels: string[];
}

const perMillion = (tokens: number, usdPerMTok: number) => (tokens * usdPerMTok) / 1_000_000;

function turnCost(price: ModelPrice): number {
  const t = ESTIMATE_ASSUMPTIONS.perTurn;
  return (
    perMillion(t.inputTokens, price.input) +
    perMillion(t.outputTokens, price.output) +
    perMillion(t.cacheWriteTokens, price.cacheWrite ?? price.input * 1.25) +
    perMillion(t.cacheReadTokens, price.cacheRead ?? price.input * 0.1)
  );
}

/** `models` is one model for every role, or the model of each role. */
export function estimatePlanCost(plan: Plan, pricing: Readonly<Record<string, ModelPrice>>, models: string | Partial<Record<Role, string>>): PlanCostEstimate {
  const t = ESTIMATE_ASSUMPTIONS.perTurn;
  const tokensPerTurn = t.inputTokens + t.cacheReadTokens + t.cacheWriteTokens + t.outputTokens;
  let tokens = 0;
  let cost = 0;
  const unpriced = new Set<string>();
  for (const task of plan.tasks) {
    const turns = ESTIMATE_ASSUMPTIONS.turnsPerTask[task.role];
    tokens += turns * tokensPerTurn;
    const model = typeof models === 'string' ? models : models[task.role];
    const price = model === undefined ? undefined : pricing[model];
    if (price) cost += turns * turnCost(price);
    else unpriced.add(model ?? `(no model for ${task.role})`);
  }
  if (unpriced.size > 0) return { tokens, unpricedModels: [...unpriced] };
  const { low, high } = ESTIMATE_ASSUMPTIONS.range;
  return { tokens, costUsd: cost, lowUsd: cost * low, highUsd: cost * high, unpricedModels: [] };
}
