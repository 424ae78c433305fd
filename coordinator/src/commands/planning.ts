import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { budgetStop, estimateTokens, priceFor, type ModelClient, type TranscriptWriter } from '@coordinate/model';
import { openMemory } from '@coordinate/memory';
import type { Plan } from '@coordinate/plan';
import { addUsage, BudgetExhaustedError, emptyUsage, type PriceTable, type Usage } from '@coordinate/protocol';
import type { EffectiveSettings } from '../config/index.js';
import { draftPlan, PLANNER_SYSTEM, repoOverview, revisePlan, submitPlanTool } from '../planner/index.js';
import { coordinateDir } from '../run/layout.js';

/** The planner's answer may take this many tokens; the budget check assumes all of them. */
const PLANNER_MAX_OUTPUT_TOKENS = 16_000;

export interface PlannerSetup {
  repoRoot: string;
  goal: string;
  settings: EffectiveSettings;
  model: string;
  prices: PriceTable;
  client: ModelClient;
  transcript?: TranscriptWriter;
  signal?: AbortSignal;
}

/** What team memory knows that bears on the goal, as one line per entry; none when there is no memory yet. */
async function memoryFor(repoRoot: string, goal: string, tokenBudget: number): Promise<string[]> {
  const file = join(coordinateDir(repoRoot), 'memory.db');
  if (tokenBudget === 0 || !(await access(file).then(() => true, () => false))) return [];
  const store = openMemory(file, { readonly: true, repoRoot });
  try {
    return store.retrieve({ query: goal, tokenBudget, repoRoot }).map((entry) => entry.summary);
  } finally {
    store.close();
  }
}

/**
 * The planning side of a run: drafts and revisions of the plan, each checked against the run's
 * budget before it is sent (the planner's spending counts towards the run).
 */
export class RunPlanner {
  usage: Usage = emptyUsage();
  private context: { overview: string; memory: string[] } | undefined;

  constructor(private readonly setup: PlannerSetup) {}

  async draft(): Promise<Plan> {
    const context = await this.gather();
    this.checkBudget(context, undefined);
    const result = await draftPlan(this.options(context));
    this.usage = addUsage(this.usage, result.usage);
    return result.plan;
  }

  async revise(plan: Plan, feedback: string): Promise<Plan> {
    const context = await this.gather();
    this.checkBudget(context, { plan, feedback });
    const result = await revisePlan({ ...this.options(context), plan, feedback });
    this.usage = addUsage(this.usage, result.usage);
    return result.plan;
  }

  /** Closes the transcript; one that could not be written costs the plan nothing. */
  async close(): Promise<void> {
    await this.setup.transcript?.close().catch(() => undefined);
  }

  private async gather() {
    const { repoRoot, goal, settings } = this.setup;
    this.context ??= { overview: await repoOverview(repoRoot), memory: await memoryFor(repoRoot, goal, settings.memory.tokenBudget) };
    return this.context;
  }

  private options(context: { overview: string; memory: string[] }) {
    const { client, model, goal, prices, transcript, signal } = this.setup;
    return {
      client,
      model,
      goal,
      overview: context.overview,
      memory: context.memory,
      pricing: prices,
      maxOutputTokens: PLANNER_MAX_OUTPUT_TOKENS,
      ...(transcript ? { transcript } : {}),
      ...(signal ? { signal } : {}),
    };
  }

  /** Refuses a planner request whose worst case would pass a budget, naming the budget. */
  private checkBudget(context: { overview: string; memory: string[] }, revision: unknown): void {
    const { budgets } = this.setup.settings;
    const next = {
      inputTokens: estimateTokens([PLANNER_SYSTEM, submitPlanTool, this.setup.goal, context, revision ?? null]),
      maxOutputTokens: PLANNER_MAX_OUTPUT_TOKENS,
    };
    const price = priceFor(this.setup.model, this.setup.prices);
    const limits = {
      ...(budgets.maxTokens !== undefined ? { maxTokens: budgets.maxTokens } : {}),
      ...(budgets.maxCostUsd !== undefined ? { maxCostUsd: budgets.maxCostUsd } : {}),
    };
    const stop = budgetStop(limits, this.usage, next, price);
    if (stop) throw new BudgetExhaustedError(`the planner's request was not sent: ${stop.reason}`, { budget: stop.budget });
  }
}
