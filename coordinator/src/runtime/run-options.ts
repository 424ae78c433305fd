import { z } from 'zod';
import type { Logger } from 'pino';
import { formatZodError, MaxAttempts, TaskSpec, Usage, zodProblems, type RunOutcome } from '@coordinate/protocol';
import { assertValidGraph } from '@coordinate/plan';
import type { JournalEvent } from '../journal/events.js';
import type { RunState } from '../journal/index.js';
import { RunOptionsError } from './errors.js';
import type { PreparedTask } from './prepared-task.js';
import type { SchedulerOptions } from './scheduler.js';

const Scalars = z.object({
  repoRoot: z.string().min(1),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'use letters, digits, "-" and "_" (at most 64)'),
  goal: z.string().min(1),
  tasks: z.array(TaskSpec).min(1),
  /** Worker processes to spawn; 0 runs only with workers started by hand. */
  workers: z.number().int().min(0).max(256),
  /** The executor spawned workers run: "deterministic", "model", … */
  executor: z.string().min(1).max(64),
  /** Where the coordinator listens: this machine only unless set. */
  host: z.string().min(1).default('127.0.0.1'),
  /** 0 is a free port. */
  port: z.number().int().min(0).max(65535).default(0),
  /** The per-run token; random when omitted. Pass one to hand it to workers started by hand. */
  token: z.string().min(16).max(512).optional(),
  /** Also accept the tokens issued into this file (`coordinate token create`), each its own credential. */
  issuedTokensFile: z.string().min(1).optional(),
  /** Serve wss:// with this certificate and key; spawned workers trust the certificate file. */
  tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  /** Failed attempts a task may have before it fails for good. */
  maxAttempts: MaxAttempts,
  /** How often each side shows it is alive, in ms. */
  heartbeatMs: z.number().int().min(10).max(600_000).default(2_000),
  /** Silence after which a worker counts as lost, in ms (default five heartbeats). */
  deadAfterMs: z.number().int().min(20).max(3_600_000).optional(),
  /** Connections the server holds at once (default 256): more only for a run that expects that many remote workers. */
  maxConnections: z.number().int().min(1).max(100_000).optional(),
  /** Extra environment for spawned workers (e.g. ANTHROPIC_*). */
  workerEnv: z.record(z.string(), z.string()).optional(),
  /** False is the person's --no-sandbox: spawned workers run task commands outside the OS sandbox. Default true. */
  sandbox: z.boolean().optional(),
  /** Continue from the run's journal: finished tasks are not run again. */
  resume: z.boolean().optional(),
  /** What planning spent before the run: journaled with its start, so every report counts it. */
  plannerUsage: Usage.optional(),
});

/** What a run is handed besides data: callbacks and handles, which no schema checks. */
interface RunPlanHooks {
  /** Aborting it is Ctrl-C: tasks are cancelled, workers stopped, none left behind. */
  signal?: AbortSignal;
  /** What each attempt is handed besides its task (executor settings, memory, budget). Default: nothing. */
  prepare?: (task: TaskSpec, attempt: number) => PreparedTask | Promise<PreparedTask>;
  /** Tasks that take over one that failed for good (a fix and a re-verify); they join this same run. */
  grow?: SchedulerOptions['grow'];
  /** Every journal event as it is written, for the live view. */
  onEvent?: (event: JournalEvent) => void;
  logger?: Logger;
}

/** The options of `runPlan`: its schema's input (each default stated there, once) and its hooks. */
export type RunPlanOptions = z.input<typeof Scalars> & RunPlanHooks;

export interface RunPlanResult {
  runId: string;
  outcome: RunOutcome;
  state: RunState;
  url: string;
}

/** The options once checked: every default filled in. */
export type CheckedRunOptions = z.output<typeof Scalars> & RunPlanHooks & { deadAfterMs: number };

/** Refuses bad options before anything starts: a clear error naming the option, or the plan's problems. */
export function checkRunOptions(options: RunPlanOptions): CheckedRunOptions {
  const { signal, prepare, onEvent, logger, grow, ...scalars } = options;
  const parsed = Scalars.safeParse(scalars);
  if (!parsed.success) {
    throw new RunOptionsError(`runPlan options: ${formatZodError(parsed.error, { max: 1 })}`, { path: zodProblems(parsed.error)[0]!.path });
  }
  assertValidGraph(parsed.data.tasks);
  const { heartbeatMs } = parsed.data;
  const deadAfterMs = parsed.data.deadAfterMs ?? heartbeatMs * 5;
  if (deadAfterMs <= heartbeatMs) {
    throw new RunOptionsError(`runPlan option deadAfterMs (${deadAfterMs}) must be longer than heartbeatMs (${heartbeatMs})`);
  }
  const hooks: RunPlanHooks = { ...(signal ? { signal } : {}), ...(prepare ? { prepare } : {}), ...(onEvent ? { onEvent } : {}), ...(logger ? { logger } : {}), ...(grow ? { grow } : {}) };
  return { ...parsed.data, ...hooks, deadAfterMs };
}
