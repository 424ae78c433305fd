import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { newRunId } from '../cli/run-id.js';
import { checkBeforeSpending } from '../preflight/index.js';
import { prepareCoordinateDir } from '../run/coordinate-dir.js';
import { runPaths } from '../run/layout.js';
import { planAndApprove } from './approve-step.js';
import { checkApplyPossible } from './apply.js';
import { executePlan } from './execute.js';
import { settingsOf, spendCheckOf, type RunFlags } from './options.js';
import { saveApprovedPlan } from './plan-file.js';
import { resolveRepoRoot } from './repo-root.js';
import { loadSettings, showConfigInForce } from './settings.js';

/** `coordinate "task"`: plan → approve → run → report; resolves with the exit code. */
export async function planAndRun(context: CliContext, goal: string, flags: RunFlags, approvedBy?: string): Promise<{ exitCode: number; runId: string }> {
  if (goal.trim() === '') throw new UsageError('the task is empty', 'describe what to do, e.g. coordinate "make the failing test pass"');
  const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
  const { settings, inForce } = await loadSettings(repoRoot, settingsOf(flags), context.env);
  showConfigInForce(context, flags, inForce);
  if (flags.apply) await checkApplyPossible(repoRoot);
  await checkBeforeSpending(spendCheckOf(repoRoot, flags, context.env));
  const runId = newRunId();
  const paths = runPaths(repoRoot, runId);
  await prepareCoordinateDir(repoRoot);
  const { plan, usage } = await planAndApprove({
    context,
    repoRoot,
    goal: goal.trim(),
    settings,
    paths,
    yes: Boolean(flags.yes),
    ...(approvedBy ? { approvedBy } : {}),
    json: Boolean(flags.json),
    includeUncommitted: Boolean(flags.includeUncommitted),
  });
  await saveApprovedPlan(plan, paths);
  return { exitCode: await executePlan({ context, repoRoot, runId, plan, settings, flags, planningUsage: usage }), runId };
}
