import type { Command } from 'commander';
import type { Plan } from '@coordinate/plan';
import { isResumableOutcome, RunOutcome } from '@coordinate/protocol';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { checkBeforeSpending } from '../preflight/index.js';
import { checkRemoteWorkerFlags } from './remote-workers.js';
import { checkApplyPossible } from './apply.js';
import { addRunOptions, RunFlags, settingsOf, spendCheckOf } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { checkRunIsOurs } from './resume-guard.js';
import { listRuns, readRun, statusOf, type RunStatus, type StoredRun } from './run-store.js';
import { loadSettings, showConfigInForce } from './settings.js';
import { resumeCommand } from './resume-line.js';
import type { EffectiveSettings } from '../config/index.js';
import { RunLockedError, type RunLockInfo } from '../run/run-lock.js';

/** A run that stopped with its work kept (the outcomes protocol calls resumable), or that never got to its end. */
function isResumable(status: RunStatus): boolean {
  if (status === 'unfinished' || status === 'planned') return true;
  const outcome = RunOutcome.safeParse(status);
  return outcome.success && isResumableOutcome(outcome.data);
}

/** A run a live coordinator drives: resuming it would run its tasks a second time. */
const runningError = (runId: string, lock: RunLockInfo) =>
  new RunLockedError(`run ${runId} is still running (pid ${lock.pid} on ${lock.host}); there is nothing to resume`, { ...lock, runId });

/**
 * A run stopped by a budget continues only with more of that budget: the same one would stop it
 * again at once. Names the flag and the limit to pass.
 */
function checkBudgetRaised(run: StoredRun, budgets: EffectiveSettings['budgets']): void {
  const stop = run.report?.outcome === 'budget_exhausted' ? run.report.budget : undefined;
  if (!stop) return;
  const now = budgets[stop.name];
  if (now === undefined || now > stop.limit) return;
  throw new UsageError(
    `run ${run.runId} stopped when its ${stop.name} budget (${stop.limit}) ran out; resuming with the same budget would stop it again`,
    `raise it: ${resumeCommand({ runId: run.runId, outcome: 'budget_exhausted', budget: stop })}`,
  );
}

/** The run to continue: the one named, or the newest one that did not finish. */
async function runToResume(repoRoot: string, runId: string | undefined): Promise<StoredRun> {
  if (runId === undefined) {
    const newest = (await listRuns(repoRoot)).filter((r) => isResumable(r.status) || r.status === 'running').at(-1);
    if (!newest) throw new UsageError('there is no unfinished run to resume in this repository', '`coordinate runs` lists the runs and their status');
    const run = await readRun(repoRoot, newest.runId);
    if (run.lock) throw runningError(run.runId, run.lock);
    return run;
  }
  const run = await readRun(repoRoot, runId);
  const status = statusOf(run);
  if (run.lock) throw runningError(run.runId, run.lock);
  if (!isResumable(status)) throw new UsageError(`run ${run.runId} already finished (${status}); there is nothing to resume`, `\`coordinate show ${run.runId}\` shows its report`);
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
    const flags = RunFlags.read(raw);
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const run = await runToResume(repoRoot, runId);
    if (flags.includeUncommitted && run.state?.run !== undefined) {
      throw new UsageError(
        `run ${run.runId} already started from its own base commit; --include-uncommitted chooses where a run starts, so it cannot change this one`,
        `resume without it (\`coordinate resume ${run.runId}\`), or start a new run with it`,
      );
    }
    await checkRunIsOurs(repoRoot, run);
    const { settings, inForce } = await loadSettings(repoRoot, settingsOf(flags), context.env);
    checkBudgetRaised(run, settings.budgets);
    showConfigInForce(context, flags, inForce);
    if (flags.apply) await checkApplyPossible(repoRoot);
    const plan = planOf(run);
    checkRemoteWorkerFlags(flags);
    await checkBeforeSpending(spendCheckOf(repoRoot, flags, context.env, plan.tasks));
    const { executePlan } = await import('./execute.js');
    done(await executePlan({ context, repoRoot, runId: run.runId, plan, settings, flags, resume: run.state?.run !== undefined }));
  });
}
