import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { closeLogger } from '@coordinate/logging';
import { LocalScratchpad } from '@coordinate/scratchpad';
import type { DependencySummary, ProgressEvent, RunOutcome, TaskResultBody, TaskSpec, Usage } from '@coordinate/protocol';
import { JOURNAL_VERSION, type JournalEvent, type NewJournalEvent } from '../journal/events.js';
import { Journal, rebuildRunState, type RunState } from '../journal/index.js';
import { createCoordinatorLogger } from '../run/coordinator-logger.js';
import { runPaths, type RunPaths } from '../run/layout.js';
import { readIssuedTokens } from '../tokens/index.js';
import type { AttemptOutcome } from './attempt.js';
import { Dispatcher } from './dispatch.js';
import { watchLiveness } from './liveness.js';
import { RemoteTasks } from '../remote/index.js';
import { FileLeases } from './leases.js';
import { createMessageHandler } from './message-handler.js';
import { WorkerPool } from './pool.js';
import type { PreparedTask } from './prepared-task.js';
import { WorkerRegistry } from './registry.js';
import { AttemptReservations } from './reservations.js';
import { loadResumeState } from './resume.js';
import type { CheckedRunOptions } from './run-options.js';
import { Scheduler, type InitialTaskState, type SchedulerOptions } from './scheduler.js';
import { startServer, type CoordinatorServer } from './server.js';
import type { AttemptStages } from './task-stage.js';
import { readTlsFiles } from './tls-files.js';
import { createRunToken } from './token.js';
import { WorkerCredentials } from './worker-credentials.js';
import { workerEntryPath } from './worker-entry.js';
import type { WorkerServices } from './worker-services.js';

const DEFAULT_BUDGET = { maxTurns: 50 };
/** A task that takes down every worker it lands on must end: after this many losses it fails. */
const MAX_WORKER_LOSSES = 3;

export interface SessionOptions extends CheckedRunOptions {
  /** Answers to the workers' memory and budget requests. */
  services?: WorkerServices;
  /** Every progress event of a task's current attempt (the live view, memory's feedback). */
  onProgress?: (taskId: string, event: ProgressEvent, usage?: Usage) => void;
}

/** How the driven run should be stopped when its signal aborts: a budget names its reason, else it was a person. */
export interface DriveOptions {
  signal?: AbortSignal;
  /** Asked when the signal aborts: a reason means a budget ran out (`budget_exhausted`), none a person (`interrupted`). */
  budgetStop?: () => string | undefined;
}

/**
 * One run's session: its journal, its server and address, its worker pool, from the first task to
 * the report. Tasks added while it runs (fixes, conflict resolutions, a person's steer) are served
 * by the same server and workers. The session offers attempts to workers and journals what
 * happens; what a task is prepared with and what becomes of its result is its caller's business,
 * so the runtime never calls back into the layer that drives it.
 */
export class RunSession {
  readonly paths: RunPaths;
  /** Every task of the run: the plan's, or on a resume everything the journal's graph holds. */
  readonly tasks: TaskSpec[];
  /** Where each task stands on a resume; undefined for a new run. */
  readonly initial: ReadonlyMap<string, InitialTaskState> | undefined;
  readonly logger: Logger;
  readonly #events: JournalEvent[];
  readonly #byId: Map<string, TaskSpec>;
  readonly #registry: WorkerRegistry;
  readonly #dispatcher: Dispatcher;
  readonly #credentials: WorkerCredentials;
  readonly #scratchpad: LocalScratchpad;
  /** Which running implementation task writes which file: it follows the journal, so it knows every result and end. */
  readonly #leases: FileLeases;
  readonly #reservations: AttemptReservations;
  /** Serves the repository to workers without this machine's filesystem and takes their changes in. */
  readonly #remote: RemoteTasks;
  readonly #ownLogger: boolean;
  #server: CoordinatorServer | undefined;
  #stopLiveness: (() => void) | undefined;
  #pool: WorkerPool | undefined;
  #scheduler: Scheduler | undefined;
  #ending: string | undefined;
  #stoppedAs: RunOutcome | undefined;

  private constructor(
    private readonly options: SessionOptions,
    private readonly journal: Journal,
    parts: { paths: RunPaths; logger: Logger; ownLogger: boolean; token: string; events: JournalEvent[]; tasks: TaskSpec[]; initial: Map<string, InitialTaskState> | undefined },
  ) {
    this.paths = parts.paths;
    this.logger = parts.logger;
    this.#ownLogger = parts.ownLogger;
    this.#events = parts.events;
    this.tasks = parts.tasks;
    this.initial = parts.initial;
    this.#byId = new Map(parts.tasks.map((t) => [t.id, t]));
    this.#reservations = new AttemptReservations(() => journal.sync());
    this.#leases = new FileLeases({ record: (event) => this.record(event), spec: (id) => this.#byId.get(id) });
    // a resumed run remembers what each attempt was refused, so a task that ended waiting still waits
    for (const event of parts.events) this.#leases.observe(event);
    const scratchpad = new LocalScratchpad(parts.paths.scratchpad);
    this.#remote = new RemoteTasks({ repo: options.repoRoot, runId: options.runId, dir: parts.paths.bundles });
    const logger = parts.logger;
    this.#registry = new WorkerRegistry({
      isSpawnedId: (id) => this.#pool?.isSpawnedId(id) ?? false,
      onJoined: (worker, rejoined) => {
        if (!rejoined) this.record({ type: 'worker.joined', workerId: worker.id, pid: worker.pid, remote: worker.remote });
        logger.info({ workerId: worker.id, rejoined }, 'worker joined');
        this.#scheduler?.setConcurrency(this.#registry.liveCount);
      },
      onLost: (worker, reason) => {
        this.record({ type: 'worker.lost', workerId: worker.id, reason });
        logger.warn({ workerId: worker.id, reason }, 'worker lost');
        this.#dispatcher.workerLost(worker, reason);
        this.#scheduler?.setConcurrency(this.#registry.liveCount);
      },
    });
    this.#dispatcher = new Dispatcher(
      {
        runId: options.runId,
        repoRoot: options.repoRoot,
        scratchpadDir: parts.paths.scratchpad,
        registry: this.#registry,
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        record: (event) => this.record(event),
        durable: () => journal.sync(),
        reserved: (taskId, attempt) => this.#reservations.onDisk(taskId, attempt),
        defaultBudget: DEFAULT_BUDGET,
        remote: this.#remote,
        logger,
        dependencies: (task) => this.#dependencySummaries(task, scratchpad),
      },
      parts.tasks,
    );
    const issuedTokensFile = options.issuedTokensFile;
    this.#credentials = new WorkerCredentials(
      parts.token,
      issuedTokensFile === undefined
        ? undefined
        : { read: () => readIssuedTokens(issuedTokensFile), onUnreadable: (error) => logger.error({ err: error.message }, 'issued tokens refused: their file cannot be used') },
    );
    this.#scratchpad = scratchpad;
  }

  /** Opens the run's journal (continuing it on a resume) and starts listening; no worker is spawned yet. */
  static async open(options: SessionOptions): Promise<RunSession> {
    const paths = runPaths(options.repoRoot, options.runId);
    const resumed = options.resume ? await loadResumeState(paths.journal, options.tasks) : undefined;
    await Promise.all([mkdir(paths.logs, { recursive: true }), mkdir(paths.scratchpad, { recursive: true })]);
    const token = options.token ?? createRunToken();
    const logger = options.logger ?? createCoordinatorLogger(paths, token, options.workerEnv);
    let journal: Journal;
    try {
      journal = await Journal.open(paths.journal);
    } catch (error) {
      if (!options.logger) await closeLogger(logger);
      throw error;
    }
    const session = new RunSession(options, journal, {
      paths,
      logger,
      ownLogger: !options.logger,
      token,
      events: [...(resumed?.events ?? [])],
      // A resumed run continues its whole graph, the tasks added while it ran included.
      tasks: resumed?.tasks ?? options.tasks,
      initial: resumed?.initial,
    });
    try {
      await session.#listen();
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** The address workers join at. */
  get url(): string {
    return this.#server!.url;
  }

  /** Appends an event to the journal (stamped and redacted) and tells the run's listener. */
  record(event: NewJournalEvent): void {
    const written = this.journal.append(event);
    this.#events.push(written);
    this.#leases.observe(written);
    this.#reservations.observe(written);
    try {
      this.options.onEvent?.(written);
    } catch (error) {
      this.logger.warn({ err: error }, 'an onEvent listener failed');
    }
  }

  /** The run's state as its journal tells it, earlier sessions included. */
  state(): RunState {
    return rebuildRunState(this.#events);
  }

  /** Tasks added to the running graph: their results count and their summaries reach dependents. */
  know(tasks: readonly TaskSpec[]): void {
    for (const task of tasks) this.#byId.set(task.id, task);
    this.#dispatcher.know(tasks);
  }

  /**
   * A scheduler of this session's graph: starting where the journal left it on a resume, journaling
   * through the session, and telling it of every task added while it runs.
   */
  scheduler(options: Pick<SchedulerOptions, 'maxAttempts' | 'runAttempt' | 'grow' | 'shouldStop' | 'takeOver' | 'takenOver'>): Scheduler {
    return new Scheduler({
      ...options,
      tasks: this.tasks,
      maxLosses: MAX_WORKER_LOSSES,
      ...(this.initial ? { initial: this.initial } : {}),
      record: (event) => this.record(event),
      onAdded: (added) => this.know(added),
      leaseRefusal: (taskId, attempt) => this.leaseRefusal(taskId, attempt),
    });
  }

  /** The file lease an attempt of the task was refused, if any (what an attempt that ended failed after it waited for). */
  leaseRefusal(taskId: string, attempt: number): { path: string; holder: string } | undefined {
    return this.#leases.refusal(taskId, attempt);
  }

  /** Sends a person's note into the conversation of running tasks (all of them when `taskIds` is empty); returns those reached. */
  steer(note: string, taskIds: readonly string[] = []): { taskId: string; attempt: number }[] {
    return this.#dispatcher.steer(note, taskIds);
  }

  /** Runs one attempt on a worker up to its `result` stage (journaled and acknowledged). */
  attempt(task: TaskSpec, stages: AttemptStages, prepared: PreparedTask, signal: AbortSignal): Promise<AttemptOutcome> {
    return this.#dispatcher.runAttempt(task, stages, prepared, signal);
  }

  /** The stage `recorded`: the attempt's verdict is journaled; the scheduler acts on it next. */
  recordVerdict(task: TaskSpec, stages: AttemptStages, result: TaskResultBody): AttemptOutcome {
    stages.move('recorded');
    this.record({ type: 'task.finished', taskId: task.id, attempt: stages.attempt, result });
    return { kind: 'result', result };
  }

  /**
   * Spawns the workers, runs `scheduler` to its end and journals how the run ended. The signal's
   * abort stops the run; `budgetStop` tells a budget's stop from a person's.
   */
  async drive(scheduler: Scheduler, drive: DriveOptions = {}): Promise<RunOutcome> {
    const { options } = this;
    this.#scheduler = scheduler;
    scheduler.setConcurrency(this.#registry.liveCount);
    const stopRun = (kind: RunOutcome, reason: string) => {
      this.#stoppedAs ??= kind;
      scheduler.stop(reason);
    };
    const onAbort = () => {
      const budget = drive.budgetStop?.();
      if (budget !== undefined) stopRun('budget_exhausted', budget);
      else stopRun('interrupted', 'interrupted');
    };
    let respawns = 0;
    const onWorkerExit = (name: string, reason: string) => {
      // Once the run is ending, workers leave because they were told to: that is no loss.
      if (this.#ending !== undefined) return;
      this.#registry.declareDead(name, reason);
      if (respawns < options.workers * 2) {
        respawns++;
        this.#pool!.spawn(1);
      } else if (this.#registry.liveCount === 0 && this.#pool!.running() === 0) {
        stopRun('failed', `every worker process died (last: ${reason}); see the logs folder`);
      }
    };
    try {
      this.#recordStart();
      this.#pool = new WorkerPool({
        entry: workerEntryPath(),
        url: this.url,
        issueToken: (name) => this.#credentials.issue(name),
        executor: options.executor,
        sandbox: options.sandbox ?? true,
        ...(options.tls ? { caFile: options.tls.certFile } : {}),
        logsDir: this.paths.logs,
        ...(options.workerEnv ? { env: options.workerEnv } : {}),
        logger: this.logger,
        onExit: onWorkerExit,
      });
      this.#pool.spawn(options.workers);
      if (drive.signal?.aborted) onAbort();
      drive.signal?.addEventListener('abort', onAbort, { once: true });
      const end = await scheduler.run();
      if (end.kind === 'stopped') this.#dispatcher.cancelAll(end.reason);
      const kind: RunOutcome = end.kind === 'completed' ? (end.succeeded ? 'succeeded' : 'failed') : (end.outcome ?? this.#stoppedAs ?? 'budget_exhausted');
      this.#ending = end.kind === 'stopped' ? end.reason : 'run finished';
      for (const worker of this.#registry.live()) worker.peer?.send({ type: 'shutdown', reason: this.#ending });
      await this.#pool.waitForExit(2_000);
      await this.#pool.stop();
      this.record({ type: 'run.finished', outcome: kind, ...(end.kind === 'stopped' ? { reason: end.reason } : {}), usage: this.state().usage });
      return kind;
    } finally {
      this.#ending ??= 'run ended';
      drive.signal?.removeEventListener('abort', onAbort);
      scheduler.stop(this.#ending);
      await this.#pool?.stop();
    }
  }

  /** Stops listening and closes the journal and the session's own logger; safe to call twice. */
  async close(): Promise<void> {
    this.#ending ??= 'run ended';
    await this.#pool?.stop();
    this.#stopLiveness?.();
    this.#stopLiveness = undefined;
    await this.#server?.close();
    await this.#remote.close();
    await this.journal.close();
    if (this.#ownLogger) await closeLogger(this.logger);
  }

  async #listen(): Promise<void> {
    const { options } = this;
    this.#server = await startServer({
      host: options.host,
      port: options.port,
      ...(options.tls ? { tls: await readTlsFiles(options.tls) } : {}),
      ...(options.maxConnections !== undefined ? { maxPeers: options.maxConnections } : {}),
      credentials: this.#credentials,
      logger: this.logger,
      onMessage: createMessageHandler({
        runId: options.runId,
        heartbeatMs: options.heartbeatMs,
        registry: this.#registry,
        dispatcher: this.#dispatcher,
        scratchpad: this.#scratchpad,
        services: options.services ?? {},
        leases: this.#leases,
        remote: this.#remote,
        logger: this.logger,
        endingReason: () => this.#ending,
      }),
      onClose: (peer) => this.#registry.disconnected(peer),
    });
    this.#stopLiveness = watchLiveness({ server: this.#server, registry: this.#registry, heartbeatMs: options.heartbeatMs, deadAfterMs: options.deadAfterMs });
  }

  #recordStart(): void {
    const { options } = this;
    if (this.initial) {
      this.record({ type: 'run.resumed', url: this.url });
      return;
    }
    const { plannerUsage } = options;
    this.record({
      type: 'run.started',
      journalVersion: JOURNAL_VERSION,
      runId: options.runId,
      url: this.url,
      goal: options.goal,
      tasks: this.tasks,
      workers: options.workers,
      ...(plannerUsage ? { plannerUsage } : {}),
    });
  }

  /** What a task is told about the tasks it depends on: their outcome, summary, and the notes they left. */
  #dependencySummaries(task: TaskSpec, scratchpad: LocalScratchpad): Promise<z.infer<typeof DependencySummary>[]> {
    return Promise.all(
      task.dependsOn.map(async (id) => {
        const spec = this.#byId.get(id)!;
        const result = this.#scheduler?.resultOf(id);
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
}
