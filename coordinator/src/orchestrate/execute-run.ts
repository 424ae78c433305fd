import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { closeLogger } from '@coordinate/logging';
import { createCoordinatorLogger } from '../run/coordinator-logger.js';
import { emptyUsage, type RunOutcome } from '@coordinate/protocol';
import { branchCommit, diffStat } from '../git/index.js';
import type { JournalEvent } from '../journal/events.js';
import { readJournal, rebuildRunState, type RunState } from '../journal/index.js';
import { writeReports, type RunReport } from '../report/index.js';
import { runPaths, type RunPaths } from '../run/layout.js';
import { RunLock } from '../run/run-lock.js';
import { checkRunOptions, createRunToken, RunSession } from '../runtime/index.js';
import { BudgetGuard, type BudgetStop } from './budget-guard.js';
import { buildRunReport } from './build-report.js';
import { cleanUpWorktrees } from './cleanup.js';
import { conflictOfResult, resolutionContextsOf, resolutionOriginsOf, resolutionTaskFor, takenOverOf } from './conflict-resolution.js';
import { fixRoundsOf, fixTasksAfter, settledOutcome } from './fix-round-tasks.js';
import { createMergeCheck } from './merge-check.js';
import { MemoryBridge } from './memory-bridge.js';
import { checkExecuteOptions, type CheckedExecuteOptions, type ExecuteRunOptions } from './options.js';
import { prepareRunGit, type RunGit } from './run-git.js';
import { writeStackBranches } from './stack-branches.js';
import { AttemptPipeline } from './attempt-pipeline.js';
import { handleSteer } from '../steer/handle.js';
import { SteerInbox } from '../steer/inbox.js';
import { policyWithDirectives } from './task-settings.js';

export interface ExecuteRunResult {
  outcome: RunOutcome;
  /** The whole run, every fix round included. */
  state: RunState;
  report: RunReport;
  /** The report files written. */
  reportFiles: string[];
}

/** Time `commands.check` may take on one merged tree before it counts as failed. */
const CHECK_TIMEOUT_MS = 10 * 60_000;

const readEvents = async (paths: RunPaths) => (await readJournal(paths.journal)).events;

/**
 * Runs an approved plan to its report: the run branch, a worktree per implementation merged back
 * as it finishes, verifications whose evidence is checked against the commands that really ran,
 * bounded fix tasks added to the running graph after a failed verification, budgets that fail closed, team memory in and
 * out, and report.md / report.json. The person's branch, index and working tree are never touched.
 */
export async function executeRun(input: ExecuteRunOptions): Promise<ExecuteRunResult> {
  const options = checkExecuteOptions(input);
  const now = options.now ?? Date.now;
  const paths = runPaths(options.repoRoot, options.runId);
  const earlier = options.resume ? await readEvents(paths) : [];
  // Git is checked first (not_a_git_repo, …), so a refused run leaves nothing behind.
  const check = options.checkCommand
    ? createMergeCheck({ command: options.checkCommand, repo: options.repoRoot, worktreesDir: join(paths.worktrees, '.check'), timeoutMs: CHECK_TIMEOUT_MS, sandbox: options.sandbox !== false })
    : undefined;
  const git = await prepareRunGit({
    ...options,
    tasks: options.tasks,
    worktreesDir: paths.worktrees,
    resume: options.resume ?? false,
    resolutions: resolutionContextsOf(earlier),
    ...(check ? { check } : {}),
  });
  await mkdir(paths.dir, { recursive: true });
  const lock = await RunLock.acquire(paths.lock, {
    runId: options.runId,
    onTakeover: (stale, why) => options.onNotice?.(`Taking over run ${options.runId} from process ${stale.pid} on ${stale.host}: ${why}.`),
  });
  try {
    return await driveRun(options, paths, git, earlier, now);
  } finally {
    await lock.release();
  }
}

/**
 * executeRun once this process holds the run's lock: one session from the first task to the report.
 * A failed verification grows the running graph with a fix and a re-verify (a journaled
 * `tasks.added`), served by the same server and workers; a resume continues the whole graph.
 */
async function driveRun(
  options: CheckedExecuteOptions,
  paths: RunPaths,
  git: RunGit | undefined,
  earlier: readonly JournalEvent[],
  now: () => number,
): Promise<ExecuteRunResult> {
  const token = options.token ?? createRunToken();
  const logger = options.logger ?? createCoordinatorLogger(paths, token, options.workerEnv);
  const stopper = new AbortController();
  const guard = new BudgetGuard({
    budgets: options.budgets,
    // A resumed run counts what its journal holds, planning included; a new one starts from planning.
    spent: options.resume ? rebuildRunState(earlier).usage : (options.plannerUsage ?? emptyUsage()),
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
    let outcome: RunOutcome;
    if (stopper.signal.aborted || guard.exhausted()) {
      outcome = options.signal?.aborted ? 'interrupted' : 'budget_exhausted';
    } else {
      const ran = await runSession(options, { token, logger, guard, memory, git, signal: stopper.signal, roundOf: fixRoundsOf(earlier), earlier });
      // The run's own abort is how a budget stops tasks that are still running.
      outcome = ran === 'interrupted' && guard.exhausted() && !options.signal?.aborted ? 'budget_exhausted' : ran;
    }
    return await finishRun({ options, paths, git, memory, logger, outcome, budgetStop: guard.exhausted(), now });
  } finally {
    guard.dispose();
    options.signal?.removeEventListener('abort', onAbort);
    if (!options.logger) await closeLogger(logger);
  }
}

interface SessionParts {
  token: string;
  logger: Logger;
  guard: BudgetGuard;
  memory: MemoryBridge;
  git: RunGit | undefined;
  signal: AbortSignal;
  /** The fix round of each re-verify so far (a resume reads them from the journal). */
  roundOf: Map<string, number>;
  /** A resumed run's journal (empty for a new run): which resolution tasks took over which conflicts. */
  earlier: readonly JournalEvent[];
}

/**
 * The run's one session: one server and worker pool serve every task, the ones a failed
 * verification adds included. Each attempt goes through the stages of an AttemptPipeline; budgets,
 * memory and the live view hear of the run through its journal events and progress.
 */
async function runSession(options: CheckedExecuteOptions, parts: SessionParts): Promise<RunOutcome> {
  const { guard, memory, logger, roundOf } = parts;
  const session = await RunSession.open({
    ...checkRunOptions({
      repoRoot: options.repoRoot,
      runId: options.runId,
      goal: options.goal,
      tasks: options.tasks,
      workers: Math.min(options.workers, Math.max(1, options.tasks.length)),
      executor: options.executor,
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
      token: parts.token,
      ...(options.issuedTokensFile !== undefined ? { issuedTokensFile: options.issuedTokensFile } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
      ...(options.deadAfterMs !== undefined ? { deadAfterMs: options.deadAfterMs } : {}),
      ...(options.sandbox === false ? { sandbox: false } : {}),
      maxAttempts: options.maxAttempts,
      ...(options.workerEnv ? { workerEnv: options.workerEnv } : {}),
      resume: options.resume ?? false,
      // Journaled once, with the run's start.
      ...(!options.resume && options.plannerUsage ? { plannerUsage: options.plannerUsage } : {}),
      logger,
    }),
    services: {
      memory: { search: (message, workerId) => memory.search(message, workerId), propose: (message, workerId) => memory.propose(message, workerId) },
      budget: { reserve: (request) => guard.reserve(request) },
    },
    onProgress: (taskId, event, usage) => {
      memory.progress(taskId, event);
      options.onProgress?.(taskId, event, usage);
    },
    onEvent: (event) => {
      guard.observe(event);
      memory.observe(event);
      options.onEvent?.(event);
    },
  });
  try {
    const pipeline = new AttemptPipeline({
      options,
      session,
      guard,
      memory,
      workspaces: parts.git?.workspaces,
      policy: policyWithDirectives(options.policy, memory.directives()),
    });
    const origins = resolutionOriginsOf(parts.earlier, session.tasks);
    const scheduler = session.scheduler({
      maxAttempts: options.maxAttempts,
      takenOver: takenOverOf(parts.earlier),
      takeOver: (task, result) => {
        const resolution = parts.git ? resolutionTaskFor(task, result, origins) : undefined;
        if (resolution) {
          parts.git!.workspaces.expectResolution(resolution.task.id, conflictOfResult(result)!);
          logger.info({ after: task.id, task: resolution.task.id }, 'a merge conflicted: a resolution task joins the run');
        }
        return resolution;
      },
      runAttempt: (task, attempt, signal) => pipeline.run(task, attempt, signal),
      shouldStop: () => guard.exhausted()?.reason,
      grow: (task, result, graph) => {
        const growth = fixTasksAfter(task, result, graph, roundOf, options.fixRounds);
        if (growth) {
          for (const added of growth.tasks) if (added.role === 'verify') roundOf.set(added.id, growth.reason.round!);
          logger.info({ after: task.id, tasks: growth.tasks.map((t) => t.id) }, 'a verification failed: fix tasks join the run');
        }
        return growth;
      },
    });
    const steering = new SteerInbox({ paths: session.paths, logger, handle: (request) => handleSteer(request, session, scheduler) });
    steering.start();
    try {
      return await session.drive(scheduler, { signal: parts.signal, budgetStop: () => guard.exhausted()?.reason });
    } finally {
      steering.stop();
    }
  } finally {
    await session.close();
  }
}

interface FinishInput {
  options: CheckedExecuteOptions;
  paths: RunPaths;
  git: RunGit | undefined;
  memory: MemoryBridge;
  logger: Logger;
  /** How the session ended; a `failed` one is judged again with the fixes that took over. */
  outcome: RunOutcome;
  budgetStop: BudgetStop | undefined;
  now: () => number;
}

async function finishRun(input: FinishInput): Promise<ExecuteRunResult> {
  const { options, paths, git, memory, logger, budgetStop, now } = input;
  const events = await readEvents(paths);
  const state = rebuildRunState(events);
  const outcome = input.outcome === 'failed' ? settledOutcome(state, events) : input.outcome;
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
  const stack = options.stack && git && head ? await writeStackBranches({ repo: git.root, runId: options.runId, baseCommit: git.baseCommit, head }) : undefined;
  const report = buildRunReport(state, {
    runId: options.runId,
    outcome,
    events,
    finishedAt: now(),
    ...(git ? { branch: git.branch, baseCommit: git.baseCommit, notSeen: git.notSeen } : {}),
    ...(options.includeUncommitted ? { includedUncommitted: true } : {}),
    ...(diffstat ? { diffstat } : {}),
    ...(stack ? { stack } : {}),
    ...(outcome === 'budget_exhausted' && budgetStop ? { budget: budgetStop } : {}),
    keptWorktrees: kept,
    fixRounds: Math.max(0, ...fixRoundsOf(events).values()),
    sandboxed: options.sandbox !== false,
  });
  const reportFiles = await writeReports(report, paths, options.reports);
  return { outcome, state, report, reportFiles };
}
