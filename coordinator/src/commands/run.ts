import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { newRunId } from '../cli/run-id.js';
import { runPaths } from '../run/layout.js';
import { checkBeforeSpending } from '../preflight/index.js';
import { checkRemoteWorkerFlags } from './remote-workers.js';
import { checkApplyPossible } from './apply.js';
import { addRunOptions, RunFlags, settingsOf, spendCheckOf } from './options.js';
import { readPlanFile, saveApprovedPlan } from './plan-file.js';
import { resolveRepoRoot } from './repo-root.js';
import { loadSettings, showConfigInForce } from './settings.js';

/** `coordinate run plan.md`: the plan file is the approval (reviewed in a pull request, say), so nothing is asked. */
export function registerRunCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  addRunOptions(
    program
      .command('run')
      .description('run a reviewed plan file; the file is the approval, so nothing is asked')
      .argument('<plan>', 'the plan file (plan.md), as `coordinate plan` wrote it or you edited it'),
  ).action(async (file: string, raw: unknown) => {
    const flags = RunFlags.read(raw);
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const plan = await readPlanFile(file, context.cwd);
    const { settings, inForce } = await loadSettings(repoRoot, settingsOf(flags), context.env);
    showConfigInForce(context, flags, inForce);
    if (flags.apply) await checkApplyPossible(repoRoot);
    checkRemoteWorkerFlags(flags);
    await checkBeforeSpending(spendCheckOf(repoRoot, flags, context.env, plan.tasks));
    const runId = newRunId();
    await saveApprovedPlan(plan, runPaths(repoRoot, runId));
    const { executePlan } = await import('./execute.js');
    done(await executePlan({ context, repoRoot, runId, plan, settings, flags }));
  });
}
