import type { Command } from 'commander';
import { z } from 'zod';
import { shownValue } from '@coordinate/protocol';
import { defineFlags, flag } from '../cli/flags.js';
import type { CliSettings } from '../config/index.js';
import type { SpendCheck } from '../preflight/index.js';

const PORT = { error: (issue: { input: unknown }) => `must be a port number from 0 to 65535; got ${shownValue(issue.input)}` };

/** The repository a command works in; every command that reads one takes it last. */
export const cwdFlag = flag('--cwd <dir>', 'the repository to work in (default: the current directory)');

/** The flags of a command that takes only the repository. */
export const CwdFlags = defineFlags({ cwd: cwdFlag });

/** The settings planning reads: the model and the budgets it spends against, and whether the repository's config may widen them. */
export const planningFlags = {
  model: flag('--model <name>', 'one model for the planner and every worker role'),
  maxCost: flag('--max-cost <usd>', 'stop before a request that could take the cost past this many USD'),
  maxTokens: flag('--max-tokens <n>', 'stop before a request that could take the tokens past this number'),
  trustRepoConfig: flag('--trust-repo-config', "apply the repository's .coordinate/config.json even where it widens your settings (CI; `coordinate trust` records it once)"),
};

/**
 * The flags of every command that runs a plan to its end: planning's, the workers and the time the
 * run takes, what it writes, and where workers connect. `--yes` is listed only where a plan is
 * approved; elsewhere it is still accepted, hidden, so that CI lines written with it keep working.
 */
export const RunFlags = defineFlags({
  workers: flag('--workers <n>', 'worker processes to run in parallel (default: 4, or "workers" in config)'),
  ...planningFlags,
  timeout: flag('--timeout <duration>', 'stop the run after this long, e.g. 90s, 30m, 2h'),
  cwd: cwdFlag,
  yes: flag('-y, --yes', 'approve the plan without asking (CI)'),
  json: flag('--json', 'print report.json on stdout; human output goes to stderr'),
  reportJson: flag('--report-json <file>', 'also write report.json to this file'),
  junit: flag('--junit <file>', 'write JUnit XML (one testcase per task) to this file'),
  apply: flag('--apply', 'merge the run branch into your current branch when every task is verified'),
  stack: flag('--stack', 'also write one branch per implementation task (coordinate/<runId>-stack-NN-<taskId>), each based on the one before, for one pull request per task'),
  includeUncommitted: flag('--include-uncommitted', 'start from a snapshot of your working tree (uncommitted changes and untracked files), not your last commit; your files and index stay as they are'),
  /** False with --no-sandbox. */
  sandbox: flag('--no-sandbox', 'run task commands outside the OS sandbox (bubblewrap / sandbox-exec): only when none can be installed; the report says so'),
  host: flag('--host <address>', 'where workers connect (default 127.0.0.1; e.g. 0.0.0.0 to take workers from other machines)', { schema: z.string().min(1).optional() }),
  port: flag('--port <n>', 'the port workers connect to (default: a free one)', { schema: z.string().regex(/^\d{1,5}$/, PORT).refine((v) => Number(v) <= 65_535, PORT).optional() }),
  tlsCert: flag('--tls-cert <file>', 'with --host: serve wss:// with this PEM certificate, followed by its chain up to the CA', { schema: z.string().min(1).optional() }),
  tlsKey: flag('--tls-key <file>', 'with --host: the PEM private key of --tls-cert', { schema: z.string().min(1).optional() }),
  heartbeat: flag('--heartbeat <duration>', 'how often workers are pinged and report, e.g. 2s (default) or 10s over a slow network', { schema: z.string().min(1).optional() }),
  deadAfter: flag('--dead-after <duration>', 'how long a silent worker keeps its task before it is re-queued (default: 5 heartbeats), e.g. 60s over a lossy network', { schema: z.string().min(1).optional() }),
});
export type RunFlags = z.infer<typeof RunFlags.schema>;

/** Declares the run flags on a command; `--yes` shows in its help only where the command asks for approval. */
export const addRunOptions = (command: Command, asksApproval = false): Command => RunFlags.declare(command, asksApproval ? [] : ['yes']);

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
