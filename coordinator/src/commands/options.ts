import { Option, type Command } from 'commander';
import { z } from 'zod';
import { shownValue, zodProblems } from '@coordinate/protocol';
import { OptionError, type CliSettings } from '../config/index.js';
import type { SpendCheck } from '../preflight/index.js';

const PORT = { error: (issue: { input: unknown }) => `must be a port number from 0 to 65535; got ${shownValue(issue.input)}` };

/** The options a command that runs a plan takes, as commander hands them over. */
export const RunFlags = z.object({
  cwd: z.string().optional(),
  workers: z.string().optional(),
  model: z.string().optional(),
  yes: z.boolean().optional(),
  json: z.boolean().optional(),
  reportJson: z.string().optional(),
  junit: z.string().optional(),
  maxCost: z.string().optional(),
  maxTokens: z.string().optional(),
  timeout: z.string().optional(),
  trustRepoConfig: z.boolean().optional(),
  apply: z.boolean().optional(),
  includeUncommitted: z.boolean().optional(),
  stack: z.boolean().optional(),
  /** False with --no-sandbox. */
  sandbox: z.boolean().optional(),
  host: z.string().min(1).optional(),
  tlsCert: z.string().min(1).optional(),
  tlsKey: z.string().min(1).optional(),
  heartbeat: z.string().min(1).optional(),
  deadAfter: z.string().min(1).optional(),
  port: z.string().regex(/^\d{1,5}$/, PORT).refine((v) => Number(v) <= 65_535, PORT).optional(),
});
export type RunFlags = z.infer<typeof RunFlags>;

export const CwdFlags = z.object({ cwd: z.string().optional(), json: z.boolean().optional() });
export type CwdFlags = z.infer<typeof CwdFlags>;

/** Reads commander's option bag through a schema, so a command works on typed values only. */
export function readFlags<T>(schema: z.ZodType<T>, values: unknown): T {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const [problem] = zodProblems(parsed.error);
  const flag = String(problem?.path[0] ?? 'option').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  throw new OptionError(`--${flag}`, problem?.message ?? 'is not valid');
}

export function addCwdOption(command: Command): Command {
  return command.option('--cwd <dir>', 'the repository to work in (default: the current directory)');
}

/** The settings planning reads: the model and the budgets it spends against, and whether the repository's config may widen them. */
export function addPlanningOptions(command: Command): Command {
  return command
    .option('--model <name>', 'one model for the planner and every worker role')
    .option('--max-cost <usd>', 'stop before a request that could take the cost past this many USD')
    .option('--max-tokens <n>', 'stop before a request that could take the tokens past this number')
    .option('--trust-repo-config', "apply the repository's .coordinate/config.json even where it widens your settings (CI; `coordinate trust` records it once)");
}

/** The settings of a command that runs a plan: planning's, and the workers and the time the run takes. */
function addSettingsOptions(command: Command): Command {
  return addPlanningOptions(
    command
      .option('--workers <n>', 'worker processes to run in parallel (default: 4, or "workers" in config)'),
  ).option('--timeout <duration>', 'stop the run after this long, e.g. 90s, 30m, 2h');
}

/**
 * The options of every command that runs a plan to its end. `--yes` is listed only where a plan is
 * approved (`asksApproval`); elsewhere it is still accepted, hidden, so that CI lines written with it keep working.
 */
export function addRunOptions(command: Command, asksApproval = false): Command {
  addCwdOption(addSettingsOptions(command));
  const yes = new Option('-y, --yes', 'approve the plan without asking (CI)');
  return command
    .addOption(asksApproval ? yes : yes.hideHelp())
    .option('--json', 'print report.json on stdout; human output goes to stderr')
    .option('--report-json <file>', 'also write report.json to this file')
    .option('--junit <file>', 'write JUnit XML (one testcase per task) to this file')
    .option('--apply', 'merge the run branch into your current branch when every task is verified')
    .option('--stack', 'also write one branch per implementation task (coordinate/<runId>-stack-NN-<taskId>), each based on the one before, for one pull request per task')
    .option('--include-uncommitted', 'start from a snapshot of your working tree (uncommitted changes and untracked files), not your last commit; your files and index stay as they are')
    .option('--no-sandbox', 'run task commands outside the OS sandbox (bubblewrap / sandbox-exec): only when none can be installed; the report says so')
    .option('--host <address>', 'where workers connect (default 127.0.0.1; e.g. 0.0.0.0 to take workers from other machines)')
    .option('--port <n>', 'the port workers connect to (default: a free one)')
    .option('--tls-cert <file>', 'with --host: serve wss:// with this PEM certificate, followed by its chain up to the CA')
    .option('--tls-key <file>', "with --host: the PEM private key of --tls-cert")
    .option('--heartbeat <duration>', 'how often workers are pinged and report, e.g. 2s (default) or 10s over a slow network')
    .option('--dead-after <duration>', 'how long a silent worker keeps its task before it is re-queued (default: 5 heartbeats), e.g. 60s over a lossy network');
}

export const settingsOf = (flags: RunFlags): CliSettings & { trustRepoConfig?: boolean } => ({
  ...(flags.trustRepoConfig ? { trustRepoConfig: true } : {}),
  ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
  ...(flags.host !== undefined || flags.port !== undefined ? { remoteWorkers: true } : {}),
  ...(flags.model !== undefined ? { model: flags.model } : {}),
  ...(flags.maxCost !== undefined ? { maxCost: flags.maxCost } : {}),
  ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
  ...(flags.timeout !== undefined ? { timeout: flags.timeout } : {}),
});

/** What the free checks before a paid run need from its flags. */
export const spendCheckOf = (repoRoot: string, flags: RunFlags, env: NodeJS.ProcessEnv, tasks?: SpendCheck['tasks']): SpendCheck => ({
  repoRoot,
  ...(tasks ? { tasks } : {}),
  env,
  ...(flags.host !== undefined ? { host: flags.host } : {}),
  ...(flags.port !== undefined ? { port: Number(flags.port) } : {}),
});
