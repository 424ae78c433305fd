import type { Command } from 'commander';
import type { Plan } from '@coordinate/plan';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { checkBeforeSpending } from '../preflight/index.js';
import { checkApplyPossible } from './apply.js';
import { addRunOptions, readFlags, RunFlags, settingsOf, spendCheckOf } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { listRuns, readRun, statusOf, type StoredRun } from './run-store.js';
import { loadSettings } from './settings.js';

const RESUMABLE = new Set(['unfinished', 'interrupted', 'budget_exhausted', 'planned']);

/** The run to continue: the one named, or the newest one that did not finish. */
async function runToResume(repoRoot: string, runId: string | undefined): Promise<StoredRun> {
  if (runId === undefined) {
    const newest = (await listRuns(repoRoot)).filter((r) => RESUMABLE.has(r.status)).at(-1);
    if (!newest) throw new UsageError('there is no unfinished run to resume in this repository', '`coordinate runs` lists the runs and their status');
    return readRun(repoRoot, newest.runId);
  }
  const run = await readRun(repoRoot, runId);
  const status = statusOf(run);
  if (!RESUMABLE.has(status)) throw new UsageError(`run ${run.runId} already finished (${status}); there is nothing to resume`, `\`coordinate show ${run.runId}\` shows its report`);
  return run;
}

function planOf(run: StoredRun): Plan {
  if (run.plan) return run.plan;
  if (run.state?.run) return { goal: run.state.run.goal, summary: '', tasks: run.state.run.tasks };
  throw new UsageError(`run ${run.runId} has neither plan.json nor a journal`, 'start a new run');
}

/** `coordinate resume [runId]`: continues from the journal; finished tasks are not run again. */
export function registerResumeCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  addRunOptions(
    program
      .command('resume')
      .description('continue a run that was stopped (killed, interrupted, out of budget) from its journal')
      .argument('[runId]', 'the run to continue, or a unique start of its id (default: the newest unfinished run)'),
  ).action(async (runId: string | undefined, raw: unknown) => {
    const flags = readFlags(RunFlags, raw);
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const run = await runToResume(repoRoot, runId);
    const settings = await loadSettings(repoRoot, settingsOf(flags));
    if (flags.apply) await checkApplyPossible(repoRoot);
    const plan = planOf(run);
    await checkBeforeSpending(spendCheckOf(repoRoot, flags, context.env, plan.tasks));
    const { executePlan } = await import('./execute.js');
    done(await executePlan({ context, repoRoot, runId: run.runId, plan, settings, flags, resume: run.state?.run !== undefined }));
  });
}
