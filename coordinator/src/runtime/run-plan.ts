import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { closeLogger } from '@coordinate/logging';
import { createCoordinatorLogger } from '../run/coordinator-logger.js';
import { LocalScratchpad } from '@coordinate/scratchpad';
import type { DependencySummary, RunOutcome, TaskSpec, Usage } from '@coordinate/protocol';
import { JOURNAL_VERSION, type JournalEvent, type NewJournalEvent } from '../journal/events.js';
import { Journal, rebuildRunState } from '../journal/index.js';
import { runPaths } from '../run/layout.js';
import { Dispatcher } from './dispatch.js';
import { watchLiveness } from './liveness.js';
import { FileLeases } from './leases.js';
import { createMessageHandler } from './message-handler.js';
import { WorkerPool } from './pool.js';
import { WorkerRegistry } from './registry.js';
import { loadResumeState } from './resume.js';
import { checkRunOptions, type RunPlanOptions, type RunPlanResult } from './run-options.js';
import { Scheduler } from './scheduler.js';
import { startServer } from './server.js';
import { createRunToken } from './token.js';
import { readIssuedTokens } from '../tokens/index.js';
import { readTlsFiles } from './tls-files.js';
import { WorkerCredentials } from './worker-credentials.js';
import { workerEntryPath } from './worker-entry.js';

const DEFAULT_BUDGET = { maxTurns: 50 };
/** A task that takes down every worker it lands on must end: after this many losses it fails. */
const MAX_WORKER_LOSSES = 3;

/**
 * Runs a task graph on a pool of worker processes over WebSockets and resolves with the outcome
 * once every task is settled, the run was interrupted, or a budget stopped it. Everything that
 * happens is in the run's journal, from which `state` is rebuilt.
 */
export async function runPlan(input: RunPlanOptions): Promise<RunPlanResult> {
  const options = checkRunOptions(input);
  const { runId, tasks } = options;
  const paths = runPaths(options.repoRoot, runId);
  const resumed = options.resume ? await loadResumeState(paths.journal, tasks) : undefined;
  await Promise.all([mkdir(paths.logs, { recursive: true }), mkdir(paths.scratchpad, { recursive: true })]);
  const token = options.token ?? createRunToken();
  const logger = options.logger ?? createCoordinatorLogger(paths, token, options.workerEnv);
  let journal: Journal | undefined;
  try {
    journal = await Journal.open(paths.journal);
    const events: JournalEvent[] = [...(resumed?.events ?? [])];
    const open = journal;
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const leases = new FileLeases({ record: (event) => record(event), spec: (id) => byId.get(id) });
    const record = (event: NewJournalEvent): void => {
      const written = open.append(event);
      events.push(written);
      leases.observe(written);
      try {
        options.onEvent?.(written);
      } catch (error) {
        logger.warn({ err: error }, 'an onEvent listener failed');
      }
    };
    const usage = () => rebuildRunState(events).usage;
    // A resumed run continues its whole graph, the tasks added while it ran included.
    const outcome = await run(resumed ? { ...options, tasks: resumed.tasks } : options, {
      token,
      logger,
      record,
      durable: () => open.sync(),
      paths,
      initial: resumed?.initial,
      usage,
      leases,
      byId,
    });
    return { runId, outcome: outcome.kind, url: outcome.url, state: rebuildRunState(events) };
  } finally {
    await journal?.close();
    if (!options.logger) await closeLogger(logger);
  }
}

interface RunContext {
  token: string;
  logger: Logger;
  record: (event: NewJournalEvent) => void;
  durable: () => Promise<void>;
  paths: ReturnType<typeof runPaths>;
  /** Usage of every attempt in the journal, retried ones and earlier sessions included. */
  usage(): Usage;
  initial: Awaited<ReturnType<typeof loadResumeState>>['initial'] | undefined;
  leases: FileLeases;
  /** Every task of the graph by id; tasks added while the run runs join it. */
  byId: Map<string, TaskSpec>;
}

async function run(options: ReturnType<typeof checkRunOptions>, context: RunContext): Promise<{ kind: RunOutcome; url: string }> {
  const { runId, tasks, hooks = {} } = options;
  const { logger, record, paths, token, byId } = context;
  for (const task of tasks) byId.set(task.id, task);
  const scratchpad = new LocalScratchpad(paths.scratchpad);
  let pool: WorkerPool | undefined;
  const registry = new WorkerRegistry({
    isSpawnedId: (id) => pool?.isSpawnedId(id) ?? false,
    onJoined: (worker, rejoined) => {
      if (!rejoined) record({ type: 'worker.joined', workerId: worker.id, pid: worker.pid, remote: worker.remote });
      logger.info({ workerId: worker.id, rejoined }, 'worker joined');
      scheduler.setConcurrency(registry.live().length);
    },
    onLost: (worker, reason) => {
      record({ type: 'worker.lost', workerId: worker.id, reason });
      logger.warn({ workerId: worker.id, reason }, 'worker lost');
      dispatcher.workerLost(worker, reason);
      scheduler.setConcurrency(registry.live().length);
    },
  });
  const dispatcher: Dispatcher = new Dispatcher(
    {
      runId,
      repoRoot: options.repoRoot,
      scratchpadDir: paths.scratchpad,
      registry,
      hooks,
      record,
      durable: context.durable,
      defaultBudget: DEFAULT_BUDGET,
      logger,
      dependencies: (task) => dependencySummaries(task, byId, scheduler, scratchpad),
    },
    tasks,
  );
  const scheduler: Scheduler = new Scheduler({
    tasks,
    maxAttempts: options.maxAttempts,
    maxLosses: MAX_WORKER_LOSSES,
    ...(context.initial ? { initial: context.initial } : {}),
    record,
    runAttempt: (task, attempt, signal) => dispatcher.runAttempt(task, attempt, signal),
    // A stop the scheduler makes on its own comes from shouldStop: a budget ran out.
    ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
    ...(options.grow ? { grow: options.grow } : {}),
    onAdded: (added) => {
      for (const task of added) byId.set(task.id, task);
      dispatcher.know(added);
    },
  });
  let ending: string | undefined;
  const issuedTokensFile = options.issuedTokensFile;
  const credentials = new WorkerCredentials(
    token,
    issuedTokensFile === undefined
      ? undefined
      : { read: () => readIssuedTokens(issuedTokensFile), onUnreadable: (error) => logger.error({ err: error.message }, 'issued tokens refused: their file cannot be used') },
  );
  const server = await startServer({
    host: options.host,
    port: options.port,
    ...(options.tls ? { tls: await readTlsFiles(options.tls) } : {}),
    credentials,
    logger,
    onMessage: createMessageHandler({
      runId,
      heartbeatMs: options.heartbeatMs,
      registry,
      dispatcher,
      scratchpad,
      hooks,
      leases: context.leases,
      logger,
      endingReason: () => ending,
    }),
    onClose: (peer) => registry.disconnected(peer),
  });
  const stopLiveness = watchLiveness({ server, registry, heartbeatMs: options.heartbeatMs, deadAfterMs: options.deadAfterMs });
  let stoppedAs: RunOutcome | undefined;
  const stopRun = (kind: RunOutcome, reason: string) => {
    stoppedAs ??= kind;
    scheduler.stop(reason);
  };
  // The caller aborts for a person's Ctrl-C and also to stop running tasks when a budget runs out
  // mid-task; its shouldStop hook tells the two apart, so the journal names the right ending.
  const onAbort = () => {
    const budget = hooks.shouldStop?.();
    if (budget !== undefined) stopRun('budget_exhausted', budget);
    else stopRun('interrupted', 'interrupted');
  };
  let respawns = 0;
  const onWorkerExit = (name: string, reason: string) => {
    // Once the run is ending, workers leave because they were told to: that is no loss.
    if (ending !== undefined) return;
    registry.declareDead(name, reason);
    if (respawns < options.workers * 2) {
      respawns++;
      pool!.spawn(1);
    } else if (registry.live().length === 0 && pool!.running() === 0) {
      stopRun('failed', `every worker process died (last: ${reason}); see the logs folder`);
    }
  };
  try {
    if (context.initial) record({ type: 'run.resumed', url: server.url });
    else {
      const { plannerUsage } = options;
      record({
        type: 'run.started',
        journalVersion: JOURNAL_VERSION,
        runId,
        url: server.url,
        goal: options.goal,
        tasks,
        workers: options.workers,
        ...(plannerUsage ? { plannerUsage } : {}),
      });
    }
    pool = new WorkerPool({
      entry: workerEntryPath(),
      url: server.url,
      issueToken: (name) => credentials.issue(name),
      executor: options.executor,
      sandbox: options.sandbox ?? true,
      ...(options.tls ? { caFile: options.tls.certFile } : {}),
      logsDir: paths.logs,
      ...(options.workerEnv ? { env: options.workerEnv } : {}),
      logger,
      onExit: onWorkerExit,
    });
    pool.spawn(options.workers);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const end = await scheduler.run();
    if (end.kind === 'stopped') dispatcher.cancelAll(end.reason);
    const kind: RunOutcome = end.kind === 'completed' ? (end.succeeded ? 'succeeded' : 'failed') : (end.outcome ?? stoppedAs ?? 'budget_exhausted');
    ending = end.kind === 'stopped' ? end.reason : 'run finished';
    for (const worker of registry.live()) worker.peer?.send({ type: 'shutdown', reason: ending });
    await pool.waitForExit(2_000);
    await pool.stop();
    record({ type: 'run.finished', outcome: kind, ...(end.kind === 'stopped' ? { reason: end.reason } : {}), usage: context.usage() });
    return { kind, url: server.url };
  } finally {
    ending ??= 'run ended';
    options.signal?.removeEventListener('abort', onAbort);
    scheduler.stop(ending);
    await pool?.stop();
    stopLiveness();
    await server.close();
  }
}

/** What a task is told about the tasks it depends on: their outcome, summary, and the notes they left. */
async function dependencySummaries(
  task: TaskSpec,
  byId: Map<string, TaskSpec>,
  scheduler: Scheduler,
  scratchpad: LocalScratchpad,
): Promise<z.infer<typeof DependencySummary>[]> {
  return Promise.all(
    task.dependsOn.map(async (id) => {
      const spec = byId.get(id)!;
      const result = scheduler.resultOf(id);
      const notes = await scratchpad.list(id).catch(() => []);
      return {
        id,
        title: spec.title,
        role: spec.role,
        outcome: result?.outcome ?? 'succeeded',
        summary: (result?.summary ?? '').slice(0, 20_000),
        notes: notes.slice(0, 100),
      };
    }),
  );
}
