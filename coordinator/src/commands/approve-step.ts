import { join } from 'node:path';
import { createRedactor, collectSecrets } from '@coordinate/logging';
import { createModelClient, TranscriptWriter } from '@coordinate/model';
import type { Plan } from '@coordinate/plan';
import type { Usage } from '@coordinate/protocol';
import { approvePlan, ApprovalError, editorFromEnv } from '../approval/index.js';
import { conversationStream, humanStream, isInteractive, type CliContext } from '../cli/context.js';
import { PlanRejectedError } from '../cli/errors.js';
import type { EffectiveSettings } from '../config/index.js';
import { filesNotSeenByRun } from '../git/index.js';
import { whileWaiting } from '../progress/index.js';
import { colorEnabled, notSeenLines } from '../report/index.js';
import type { RunPaths } from '../run/layout.js';
import { planEstimator } from './plan-estimate.js';
import { RunPlanner } from './planning.js';
import { priceTable, roleModels } from './settings.js';

export interface PlanStepOptions {
  context: CliContext;
  repoRoot: string;
  goal: string;
  settings: EffectiveSettings;
  /** Where the plan is reviewed and kept; the planner's transcript goes beside it. */
  paths: Pick<RunPaths, 'planMd' | 'transcripts'>;
  yes: boolean;
  /** Who approves with `yes` when the person passed no --yes (the demo approves its own plan). */
  approvedBy?: string;
  json: boolean;
  /** `--include-uncommitted`: the run starts from a snapshot, so nothing is left unseen. */
  includeUncommitted?: boolean;
}

/** A planner for one goal, talking to the model named by the settings; with `paths`, its transcript goes to the run folder. */
export function createRunPlanner(options: Omit<PlanStepOptions, 'yes' | 'approvedBy' | 'json' | 'paths'> & { paths?: PlanStepOptions['paths'] }): RunPlanner {
  const { context, settings, paths } = options;
  const client = createModelClient({ env: context.env });
  return new RunPlanner({
    repoRoot: options.repoRoot,
    goal: options.goal,
    settings,
    model: roleModels(settings).planner,
    prices: priceTable(settings),
    client,
    ...(paths ? { transcript: new TranscriptWriter(join(paths.transcripts, 'planner.jsonl'), createRedactor(collectSecrets(context.env))) } : {}),
    signal: context.interrupts.signal,
  });
}

/**
 * Plan → approve: refuses at once when nobody can approve (no terminal, no --yes), before the
 * planner spends anything; then drafts, shows the graph with an estimate, and asks.
 */
export async function planAndApprove(options: PlanStepOptions): Promise<{ plan: Plan; usage: Usage }> {
  const { context, settings, yes } = options;
  const interactive = isInteractive(context);
  if (!yes && !interactive) throw new ApprovalError();
  const out = interactive && !yes ? conversationStream(context, options.json) : humanStream(context, options.json);
  const planner = createRunPlanner(options);
  try {
    const models = roleModels(settings);
    const plan = await whileWaiting(`Planning with ${models.planner}…`, { stream: out, isTTY: Boolean(out.isTTY), env: context.env }, () => planner.draft());
    const estimate = await planEstimator(options.repoRoot, settings);
    const notSeen = notSeenLines(await filesNotSeenByRun(options.repoRoot, options.includeUncommitted ?? false));
    if (notSeen.length > 0) out.write(`${notSeen.join('\n')}\n\n`);
    const decision = await approvePlan({
      plan,
      input: context.stdin,
      output: out,
      editor: editorFromEnv(context.env),
      revise: (current, feedback) => planner.revise(current, feedback),
      isTTY: interactive,
      yes,
      ...(options.approvedBy ? { approvedBy: options.approvedBy } : {}),
      planFile: options.paths.planMd,
      estimate: (candidate) => estimate(candidate, planner.usage),
      budgets: settings.budgets,
      color: colorEnabled(context.env, Boolean(out.isTTY)),
    });
    if (decision.decision === 'quit') throw new PlanRejectedError(options.paths.planMd);
    return { plan: decision.plan, usage: planner.usage };
  } finally {
    await planner.close();
  }
}
