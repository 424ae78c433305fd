import type { BudgetName } from '@coordinate/protocol';
import type { RunReport } from '../report/index.js';

/** The flag that sets each budget, and the value it takes for a limit (in the budget's own unit). */
const BUDGET_FLAGS: Record<BudgetName, { flag: string; value(limit: number): string }> = {
  maxCostUsd: { flag: '--max-cost', value: (usd) => String(Number(usd.toPrecision(6))) },
  maxTokens: { flag: '--max-tokens', value: (tokens) => String(Math.ceil(tokens)) },
  timeoutMs: { flag: '--timeout', value: (ms) => `${Math.ceil(ms / 1000)}s` },
};

/** `--max-cost <usd>` for the budget named, at `limit`. */
export const budgetFlag = (budget: BudgetName, limit: number): string => `${BUDGET_FLAGS[budget].flag} ${BUDGET_FLAGS[budget].value(limit)}`;

/**
 * The exact command that continues a stopped run: after a budget stop it raises that budget
 * (to twice the limit that stopped it), since resuming with the same one would stop again.
 */
export function resumeCommand(report: Pick<RunReport, 'runId' | 'outcome' | 'budget'>): string {
  const raise = report.outcome === 'budget_exhausted' && report.budget ? ` ${budgetFlag(report.budget.name, report.budget.limit * 2)}` : '';
  return `coordinate resume ${report.runId}${raise}`;
}
