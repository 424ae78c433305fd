import type { Logger } from 'pino';
import { z } from 'zod';
import type { MemoryStore } from '@coordinate/memory';
import { formatZodError, MaxAttempts, PriceTable, Role, ToolPolicy, zodProblems, type ModelExecutorSettings, type ProgressEvent, type TaskSpec, type Usage } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import type { WriteReportsOptions } from '../report/index.js';
// The project config's schema states each setting's range and default once; a run started without the CLI gets the same.
import { MemoryConfig, ProjectConfig, VerifyConfig } from '../config/schema.js';
import { RunOptionsError } from '../runtime/errors.js';
import type { TlsFiles } from '../runtime/index.js';

export const RunBudgets = z.strictObject({
  maxCostUsd: z.number().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional(),
  /** Model turns one task may take. */
  maxTurns: z.number().int().positive().max(10_000).optional(),
});
export type RunBudgets = z.infer<typeof RunBudgets>;

/** Knobs of the model executor that are the same for every task; the per-task ones are filled in by the run. */
export type SharedModelSettings = Omit<ModelExecutorSettings, 'model' | 'pricing' | 'policy' | 'transcriptFile' | 'budget' | 'maxTurns'>;

const Checked = z.object({
  /** Fix → re-verify rounds after a failed verification (default: config `fixRounds`). */
  fixRounds: ProjectConfig.shape.fixRounds,
  /** Failed attempts a task may have before it fails for good. */
  maxAttempts: MaxAttempts,
  /** "model" (the default) or another registered executor such as "deterministic". */
  executor: z.string().min(1).max(64).default('model'),
  /** The model of each worker role; a role left out uses the executor's default. */
  models: z.partialRecord(Role, z.string().min(1).max(200)).default({}),
  budgets: RunBudgets.default({}),
  policy: ToolPolicy.default({}),
  pricing: PriceTable.optional(),
  /** Tokens of memory snippets handed to one task (default: config `memory.tokenBudget`). */
  memoryTokenBudget: MemoryConfig.shape.tokenBudget,
  /**
   * How verdicts are checked: `testCommands` (config `commands.test`) are what a verify task without
   * plan `commands` must prove; `corrections` (default: config `verify.corrections`) is how often an
   * unverifiable verdict goes back to the verifier before it counts as failed.
   */
  verify: z
    .strictObject({
      testCommands: z.array(z.string().min(1).max(2000)).max(50).default([]),
      corrections: VerifyConfig.shape.corrections,
    })
    .prefault({}),
});

/** What executeRun takes besides its checked settings (below): the run, its places and its hooks. */
interface RunInputs {
  repoRoot: string;
  runId: string;
  goal: string;
  /** The approved plan's tasks. */
  tasks: TaskSpec[];
  /** Worker processes to spawn (at most one per task of a round is started). */
  workers: number;
  /** Executor settings shared by every task (retries, command timeout, output limit). */
  modelSettings?: SharedModelSettings;
  /** Extra executor settings per task, beside `model` (the deterministic executor reads `deterministic`). */
  executorSettings?: (task: TaskSpec, attempt: number) => Record<string, unknown> | undefined;
  /** Environment for the workers (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, …). */
  workerEnv?: Record<string, string>;
  /** Where the coordinator listens (default 127.0.0.1 and a free port); set them to take workers from other machines. */
  host?: string;
  port?: number;
  /** The per-run token, for workers started by hand; random when omitted. */
  token?: string;
  /** Also accept the tokens issued into this file (`coordinate token create`), each its own credential. */
  issuedTokensFile?: string;
  /** Serve wss:// with this certificate and key. */
  tls?: TlsFiles;
  /** How often workers are pinged and send heartbeats, in ms (default 2000); longer over a slow or lossy network. */
  heartbeatMs?: number;
  /** How long a worker may stay silent before it is declared dead and its task re-queued, in ms (default 5 heartbeats). */
  deadAfterMs?: number;
  /** False is the person's --no-sandbox: task commands run outside the OS sandbox. Default true. */
  sandbox?: boolean;
  signal?: AbortSignal;
  /** Continue the run from its journal. */
  resume?: boolean;
  /** Start the run branch from a snapshot of the working tree (uncommitted and untracked files) instead of HEAD. */
  includeUncommitted?: boolean;
  /** `commands.check`: run on the run branch after every merge (in the sandbox); a merge that breaks it is taken back and its task reopened. */
  checkCommand?: string;
  /** Also write one stacked branch per merged implementation task (`--stack`), listed in the report. */
  stack?: boolean;
  /** What planning spent: it counts towards the budgets and in every report of the run. */
  plannerUsage?: Usage;
  onEvent?: (event: JournalEvent) => void;
  /** Every tool call, model turn and usage update of a task, for the live view. */
  onProgress?: (taskId: string, event: ProgressEvent, usage?: Usage) => void;
  /** A line for the person about the run itself (a stale lock taken over). */
  onNotice?: (text: string) => void;
  logger?: Logger;
  /** Team memory; the coordinator is its only writer. */
  memory?: MemoryStore;
  /** Extra report outputs (JUnit, a copy of report.json, the GitHub step summary). */
  reports?: WriteReportsOptions;
  /** The clock of the report and the wall-clock budget (default Date.now). */
  now?: () => number;
}

/** The options of `executeRun`: its settings schema's input (each default stated there, once) and the rest. */
export type ExecuteRunOptions = RunInputs & z.input<typeof Checked>;

export type CheckedExecuteOptions = RunInputs & z.output<typeof Checked>;

/** Refuses bad options before anything starts, naming the option and what it takes. */
export function checkExecuteOptions(options: ExecuteRunOptions): CheckedExecuteOptions {
  const parsed = Checked.safeParse({
    fixRounds: options.fixRounds,
    maxAttempts: options.maxAttempts,
    executor: options.executor,
    models: options.models,
    budgets: options.budgets,
    policy: options.policy,
    pricing: options.pricing,
    memoryTokenBudget: options.memoryTokenBudget,
    verify: options.verify,
  });
  if (!parsed.success) {
    throw new RunOptionsError(`executeRun options: ${formatZodError(parsed.error, { max: 1 })}`, { path: zodProblems(parsed.error)[0]!.path.map(String) });
  }
  return { ...options, ...parsed.data };
}
