import type { Plan } from '@coordinate/plan';
import type { CliContext } from '../cli/context.js';
import { newRunId } from '../cli/run-id.js';
import { executePlan } from '../commands/execute.js';
import { saveApprovedPlan } from '../commands/plan-file.js';
import type { EffectiveSettings } from '../config/index.js';
import { runPaths } from '../run/layout.js';

export interface FixRun {
  runId: string;
  /** The run's exit code (0: every task succeeded and was verified). */
  done: Promise<number>;
}

/**
 * Starts the watcher's fix as a normal run of the pipeline (`coordinate run` without the
 * question: the tier budget is the approval): its plan and journal go to `.coordinate/runs/`,
 * `coordinate runs` lists it, and its changes land on its own branch `coordinate/<runId>`.
 * Its task commands run in the OS sandbox unless the person started the watcher with --no-sandbox.
 */
export async function startFixRun(context: CliContext, repoRoot: string, settings: EffectiveSettings, plan: Plan, sandbox: boolean): Promise<FixRun> {
  const runId = newRunId();
  await saveApprovedPlan(plan, runPaths(repoRoot, runId));
  return { runId, done: executePlan({ context, repoRoot, runId, plan, settings, flags: { yes: true, ...(sandbox ? {} : { sandbox: false }) } }) };
}

/** Waits up to `budgetMs` for `work`: its value when it ends in time, else `background` while it goes on. */
export async function withinBlockingBudget<T>(work: Promise<T>, budgetMs: number): Promise<{ value: T } | 'background'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'background'>((resolve) => (timer = setTimeout(() => resolve('background'), budgetMs)));
  try {
    return await Promise.race([work.then((value) => ({ value })), late]);
  } finally {
    clearTimeout(timer);
  }
}
