import type { Logger } from 'pino';
import { closeLogger } from '@coordinate/logging';
import { createCoordinatorLogger } from '../run/coordinator-logger.js';
import { emptyUsage, type TaskSpec } from '@coordinate/protocol';
import { branchCommit, diffStat } from '../git/index.js';
import { readJournal, type RunState } from '../journal/index.js';
import { writeReports, type RunReport } from '../report/index.js';
import { runPaths, type RunPaths } from '../run/layout.js';
import { createRunToken, runPlan, type RunOutcomeKind } from '../runtime/index.js';
import { BudgetGuard, type BudgetStop } from './budget-guard.js';
import { buildRunReport } from './build-report.js';
import { cleanUpWorktrees } from './cleanup.js';
import { ExecuteOptionsError } from './errors.js';
import { nextFixRound, onlyVerificationsFailed } from './fix-round-tasks.js';
import { combineRounds, type CombinedRun } from './journal-rounds.js';
import { MemoryBridge } from './memory-bridge.js';
import { checkExecuteOptions, type CheckedExecuteOptions, type ExecuteRunOptions } from './options.js';
import { prepareRunGit, type RunGit } from './run-git.js';
import { createRunHooks } from './run-hooks.js';
import { policyWithDirectives } from './task-settings.js';

export interface ExecuteRunResult {
  outcome: RunOutcomeKind;
  /** The whole run, every fix round included. */
  state: RunState;
  report: RunReport;
  /** The report files written. */
  reportFiles: string[];
}

/** Where the rounds stand: which one runs next and whether it continues an interrupted session. */
interface RoundCursor {
  index: number;
  tasks: TaskSpec[];
  resume: boolean;
  /** Set when the round already ended in an earlier session. */
  outcome?: RunOutcomeKind;
}

const readRun = async (paths: RunPaths): Promise<CombinedRun> => combineRounds((await readJournal(paths.journal)).events);

/** A resumed run continues its newest round; a round that already ended is not run again. */
async function startingRound(options: CheckedExecuteOptions, paths: RunPaths): Promise<{ cursor: RoundCursor; earlier?: CombinedRun }> {
  if (!options.resume) return { cursor: { index: 0, tasks: options.tasks, resume: false } };
  const earlier = await readRun(paths);
  const planned = earlier.rounds[0]?.tasks.map((task) => task.id).join(',');
  if (planned !== options.tasks.map((task) => task.id).join(',')) {
    throw new ExecuteOptionsError(`cannot resume run ${options.runId}: the plan's tasks differ from the ones its journal started with`);
  }
  const last = earlier.rounds.at(-1)!;
  const ended = last.outcome === 'succeeded' || last.outcome === 'failed';
  return { cursor: { index: earlier.rounds.length - 1, tasks: last.tasks, resume: !ended, ...(ended ? { outcome: last.outcome } : {}) }, earlier };
}

/**
 * Runs an approved plan to its report: the run branch, a worktree per implementation merged back
 * as it finishes, verifications whose evidence is checked against the commands that really ran,
 * bounded fix rounds after a failed verification, budgets that fail closed, team memory in and
 * out, and report.md / report.json. The person's branch, index and working tree are never touched.
 */
export async function executeRun(input: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const options = checkExecuteOptions(input);
  const now = options.now ?? Date.now;
  const paths = runPaths(options.repoRoot, options.runId);
  const { cursor, earlier } = await startingRound(options, paths);
  const git = await prepareRunGit({ ...options, tasks: options.tasks, worktreesDir: paths.worktrees, resume: options.resume ?? false });
  const token = options.token ?? createRunToken();
  const logger = options.logger ?? createCoordinatorLogger(paths, token, options.workerEnv);
  const stopper = new AbortController();
  const guard = new BudgetGuard({
    budgets: options.budgets,
    spent: earlier?.state.usage ?? options.plannerUsage ?? emptyUsage(),
    now,
    onExhausted: (stop) => {
      logger.warn({ budget: stop.name, reason: stop.reason }, 'a run budget ran out: stopping the run');
      stopper.abort(stop.reason);
    },
  });
  const onAbort = () => stopper.abort('interrupted');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const memory = new MemoryBridge(options.memory, { runId: options.runId, repoRoot: options.repoRoot, tokenBudget: options.memoryTokenBudget, logger });
  try {
    const hooks = createRunHooks({
      options,
      guard,
      memory,
      workspaces: git?.workspaces,
      policy: policyWithDirectives(options.policy, memory.directives()),
      transcriptsDir: paths.transcripts,
    });
    const { onEvent, ...runHooks } = hooks;
    let round = cursor;
    let fixRounds = 0;
    for (;;) {
      if (round.outcome === undefined) {
        if (stopper.signal.aborted || guard.exhausted()) {
          round.outcome = options.signal?.aborted ? 'interrupted' : 'budget_exhausted';
          break;
        }
        const ran = await runPlan({
          repoRoot: options.repoRoot,
          runId: options.runId,
          goal: options.goal,
          tasks: round.tasks,
          workers: Math.min(options.workers, round.tasks.length),
          executor: options.executor,
          ...(options.host !== undefined ? { host: options.host } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
          token,
          ...(options.sandbox === false ? { sandbox: false } : {}),
          maxAttempts: options.maxAttempts,
          ...(options.workerEnv ? { workerEnv: options.workerEnv } : {}),
          signal: stopper.signal,
          resume: round.resume,
          // Journaled once, with the run's first start.
          ...(round.index === 0 && !round.resume && options.plannerUsage ? { plannerUsage: options.plannerUsage } : {}),
          hooks: runHooks,
          onEvent,
          logger,
        });
        // The run's own abort is how a budget stops tasks that are still running.
        round.outcome = ran.outcome === 'interrupted' && guard.exhausted() && !options.signal?.aborted ? 'budget_exhausted' : ran.outcome;
      }
      if (round.outcome !== 'failed') break;
      const next = nextFixRound((await readRun(paths)).state, round.tasks, round.index + 1, options.fixRounds);
      if (!next) break;
      logger.info({ round: round.index + 1, tasks: next.map((task) => task.id) }, 'a verification failed: starting a fix round');
      round = { index: round.index + 1, tasks: next, resume: false };
      fixRounds++;
    }
    return await finishRun({ options, paths, git, memory, logger, lastRound: round, fixRounds, budgetStop: guard.exhausted(), now });
  } finally {
    guard.dispose();
    options.signal?.removeEventListener('abort', onAbort);
    if (!options.logger) await closeLogger(logger);
  }
}

interface FinishInput {
  options: CheckedExecuteOptions;
  paths: RunPaths;
  git: RunGit | undefined;
  memory: MemoryBridge;
  logger: Logger;
  lastRound: RoundCursor;
  fixRounds: number;
  budgetStop: BudgetStop | undefined;
  now: () => number;
}

/** The run's outcome as a whole: a fix round that passed makes up for the verification it fixed, nothing else. */
function overallOutcome(run: CombinedRun, lastRound: RoundCursor): RunOutcomeKind {
  const outcome = lastRound.outcome ?? 'failed';
  if (outcome !== 'succeeded') return outcome;
  const earlier = run.rounds.slice(0, lastRound.index);
  return earlier.every((round) => onlyVerificationsFailed(run.state, round.tasks)) ? 'succeeded' : 'failed';
}

async function finishRun(input: FinishInput): Promise<ExecuteRunResult> {
  const { options, paths, git, memory, logger, lastRound, fixRounds, budgetStop, now } = input;
  const run = await readRun(paths);
  const outcome = overallOutcome(run, lastRound);
  const { state } = run;
  if (state.run && git) state.run.baseCommit = git.baseCommit;
  const kept = git
    ? await cleanUpWorktrees({ state, outcome, workspaces: git.workspaces, worktreesDir: paths.worktrees, logger })
    : new Map<string, string>();
  try {
    memory.afterRun(state);
  } catch (error) {
    logger.warn({ err: error }, 'team memory could not be updated after the run');
  }
  const head = git ? await branchCommit(git.root, git.branch) : undefined;
  const diffstat = git && head ? await diffStat(git.root, git.baseCommit, head) : undefined;
  const report = buildRunReport(state, {
    runId: options.runId,
    outcome,
    events: run.events,
    finishedAt: now(),
    ...(git ? { branch: git.branch, baseCommit: git.baseCommit } : {}),
    ...(diffstat ? { diffstat } : {}),
    ...(outcome === 'budget_exhausted' && budgetStop ? { budget: budgetStop } : {}),
    keptWorktrees: kept,
    fixRounds,
  });
  const reportFiles = await writeReports(report, paths, options.reports);
  return { outcome, state, report, reportFiles };
}
