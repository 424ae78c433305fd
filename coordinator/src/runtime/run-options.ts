import { z } from 'zod';
import type { Logger } from 'pino';
import { formatZodError, TaskSpec, Usage, zodProblems, type RunOutcome } from '@coordinate/protocol';
import { assertValidGraph } from '@coordinate/plan';
import type { JournalEvent } from '../journal/events.js';
import type { RunState } from '../journal/index.js';
import { RunOptionsError } from './errors.js';
import type { PreparedTask } from './prepared-task.js';
import type { SchedulerOptions } from './scheduler.js';
import type { TlsFiles } from './tls-files.js';

/**
 * Failed attempts a task may have before it fails for good, stated once for runPlan and executeRun
 * (default 2). The CLI always passes the project config's `maxAttempts`, the person's own default.
 */
export const MaxAttempts = z.number().int().min(1).max(100).default(2);

const Scalars = z.object({
  repoRoot: z.string().min(1),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'use letters, digits, "-" and "_" (at most 64)'),
  goal: z.string().min(1),
  tasks: z.array(TaskSpec).min(1),
  workers: z.number().int().min(0).max(256),
  executor: z.string().min(1).max(64),
  host: z.string().min(1).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  token: z.string().min(16).max(512).optional(),
  issuedTokensFile: z.string().min(1).optional(),
  tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  maxAttempts: MaxAttempts,
  heartbeatMs: z.number().int().min(10).max(600_000).optional(),
  deadAfterMs: z.number().int().min(20).max(3_600_000).optional(),
  maxConnections: z.number().int().min(1).max(100_000).optional(),
  workerEnv: z.record(z.string(), z.string()).optional(),
  sandbox: z.boolean().optional(),
  resume: z.boolean().optional(),
  plannerUsage: Usage.optional(),
});

export interface RunPlanOptions {
  repoRoot: string;
  runId: string;
  goal: string;
  tasks: TaskSpec[];
  /** Worker processes to spawn; 0 runs only with workers started by hand. */
  workers: number;
  /** The executor spawned workers run: "deterministic", "model", … */
  executor: string;
  /** Default 127.0.0.1 (this machine only). */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The per-run token; random when omitted. Pass one to hand it to workers started by hand. */
  token?: string;
  /** Also accept the tokens issued into this file (`coordinate token create`), each its own credential. */
  issuedTokensFile?: string;
  /** Serve wss:// with this certificate and key; spawned workers trust the certificate file. */
  tls?: TlsFiles;
  /** Failed attempts a task may have before it fails for good (default: {@link MaxAttempts}). */
  maxAttempts?: number;
  heartbeatMs?: number;
  deadAfterMs?: number;
  /** Connections the server holds at once (default 256): more only for a run that expects that many remote workers. */
  maxConnections?: number;
  /** Extra environment for spawned workers (e.g. ANTHROPIC_*). */
  workerEnv?: Record<string, string>;
  /** False is the person's --no-sandbox: spawned workers run task commands outside the OS sandbox. Default true. */
  sandbox?: boolean;
  /** Aborting it is Ctrl-C: tasks are cancelled, workers stopped, none left behind. */
  signal?: AbortSignal;
  /** Continue from the run's journal: finished tasks are not run again. */
  resume?: boolean;
  /** What planning spent before the run: journaled with its start, so every report counts it. */
  plannerUsage?: Usage;
  /** What each attempt is handed besides its task (executor settings, memory, budget). Default: nothing. */
  prepare?: (task: TaskSpec, attempt: number) => PreparedTask | Promise<PreparedTask>;
  /** Tasks that take over one that failed for good (a fix and a re-verify); they join this same run. */
  grow?: SchedulerOptions['grow'];
  /** Every journal event as it is written, for the live view. */
  onEvent?: (event: JournalEvent) => void;
  logger?: Logger;
}

export interface RunPlanResult {
  runId: string;
  outcome: RunOutcome;
  state: RunState;
  url: string;
}

export type CheckedRunOptions = RunPlanOptions & {
  host: string;
  port: number;
  maxAttempts: number;
  heartbeatMs: number;
  deadAfterMs: number;
};

/** Refuses bad options before anything starts: a clear error naming the option, or the plan's problems. */
export function checkRunOptions(options: RunPlanOptions): CheckedRunOptions {
  const { signal: _signal, prepare: _prepare, onEvent: _onEvent, logger: _logger, grow: _grow, ...scalars } = options;
  const parsed = Scalars.safeParse(scalars);
  if (!parsed.success) {
    throw new RunOptionsError(`runPlan options: ${formatZodError(parsed.error, { max: 1 })}`, { path: zodProblems(parsed.error)[0]!.path });
  }
  assertValidGraph(parsed.data.tasks);
  const heartbeatMs = parsed.data.heartbeatMs ?? 2_000;
  const deadAfterMs = parsed.data.deadAfterMs ?? heartbeatMs * 5;
  if (deadAfterMs <= heartbeatMs) {
    throw new RunOptionsError(`runPlan option deadAfterMs (${deadAfterMs}) must be longer than heartbeatMs (${heartbeatMs})`);
  }
  return {
    ...options,
    tasks: parsed.data.tasks,
    host: parsed.data.host ?? '127.0.0.1',
    port: parsed.data.port ?? 0,
    maxAttempts: parsed.data.maxAttempts,
    heartbeatMs,
    deadAfterMs,
  };
}
