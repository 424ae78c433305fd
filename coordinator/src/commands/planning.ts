import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelClient, TranscriptWriter } from '@coordinate/model';
import { openMemory } from '@coordinate/memory';
import type { Plan } from '@coordinate/plan';
import { addUsage, emptyUsage, type PriceTable, type Usage } from '@coordinate/protocol';
import type { EffectiveSettings } from '../config/index.js';
import { draftPlan, repoOverview, revisePlan } from '../planner/index.js';
import { coordinateDir } from '../run/layout.js';

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
    const result = await draftPlan(this.options(context));
    this.usage = addUsage(this.usage, result.usage);
    return result.plan;
  }

  async revise(plan: Plan, feedback: string): Promise<Plan> {
    const context = await this.gather();
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
      budget: { limits: this.setup.settings.budgets, spent: this.usage },
      ...(transcript ? { transcript } : {}),
      ...(signal ? { signal } : {}),
    };
  }
}
