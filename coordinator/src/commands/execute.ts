import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { openMemory, type MemoryStore } from '@coordinate/memory';
import { waves, type Plan } from '@coordinate/plan';
import { CoordinateError, isResumableOutcome, type Usage } from '@coordinate/protocol';
import { humanStream, type CliContext } from '../cli/context.js';
import { isGone } from '../cli/guarded-stdout.js';
import { ExitCode } from '@coordinate/protocol';
import { wrapFor } from '../cli/wrap.js';
import type { EffectiveSettings } from '../config/index.js';
import { applyRunBranch } from '../git/index.js';
import { executeRun } from '../orchestrate/index.js';
import { createProgressView } from '../progress/index.js';
import { colorEnabled, githubAnnotations, renderReportTerminal, writeReports, type RunReport, type WriteReportsOptions } from '../report/index.js';
import { runBranch, runPaths } from '../run/layout.js';
import { memoryDbPath } from './memory-repo.js';
import { remoteWorkersFor } from './remote-workers.js';
import type { RunFlags } from './options.js';
import { resumeCommand } from './resume-line.js';
import { assertBudgetLeftAfterPlanning } from './run-budgets.js';
import { priceTable, roleModels, toolPolicy } from './settings.js';

const workerModels = (settings: EffectiveSettings) => {
  const { planner: _planner, ...roles } = roleModels(settings);
  return roles;
};

export interface ExecutePlanOptions {
  context: CliContext;
  repoRoot: string;
  runId: string;
  plan: Plan;
  settings: EffectiveSettings;
  flags: RunFlags;
  /** What planning already spent: it counts towards the run's budgets. */
  planningUsage?: Usage;
  resume?: boolean;
}

/** The variables workers need to reach the model and run the project's commands; nothing else of the person's environment goes along. */
function workerEnvOf(env: NodeJS.ProcessEnv): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'HOME']) {
    const value = env[name];
    if (value) picked[name] = value;
  }
  return picked;
}

/** Runs an approved plan with live progress, prints the report, and returns the exit code its outcome means. */
export async function executePlan(options: ExecutePlanOptions): Promise<number> {
  const { context, repoRoot, runId, plan, settings, flags } = options;
  const out = humanStream(context, flags.json);
  const paths = runPaths(repoRoot, runId);
  const color = colorEnabled(context.env, Boolean(out.isTTY));
  const { budgets } = settings;
  assertBudgetLeftAfterPlanning(budgets, options.planningUsage);
  const reports: WriteReportsOptions = {
    ...(flags.junit ? { junitFile: resolve(context.cwd, flags.junit) } : {}),
    ...(flags.reportJson ? { jsonFile: resolve(context.cwd, flags.reportJson) } : {}),
    ...(context.env.GITHUB_STEP_SUMMARY ? { githubStepSummary: context.env.GITHUB_STEP_SUMMARY } : {}),
  };
  // more workers than the widest wave could never all be busy: each would only cost a process
  const workers = Math.max(1, Math.min(settings.workers, Math.max(...waves(plan.tasks).map((wave) => wave.length))));
  out.write(
    `${options.resume ? 'Resuming' : 'Starting'} run ${runId} with ${workers} worker${workers === 1 ? '' : 's'}; changes go to the branch ${runBranch(runId)}.\nRun folder: ${paths.dir}\n`,
  );
  if (flags.sandbox === false) out.write('Warning: --no-sandbox: task commands run outside the OS sandbox, with your full file access and the network.\n');
  await mkdir(paths.dir, { recursive: true });
  const remote = await remoteWorkersFor(flags, paths, context.env, context.cwd);
  const memoryFile = memoryDbPath(repoRoot);
  await mkdir(dirname(memoryFile), { recursive: true });
  const memory = openMemory(memoryFile, { repoRoot });
  const view = createProgressView({ stream: out, isTTY: Boolean(out.isTTY), color, tasks: plan.tasks, env: context.env });
  let report: RunReport;
  try {
    ({ report } = await context.interrupts.whileStoppable(() =>
      executeRun({
        repoRoot,
        runId,
        goal: plan.goal,
        tasks: plan.tasks,
        workers,
        executor: 'model',
        models: workerModels(settings),
        pricing: priceTable(settings),
        policy: toolPolicy(settings),
        budgets,
        fixRounds: settings.fixRounds,
        verify: { testCommands: settings.commands.test ? [settings.commands.test] : [], corrections: settings.verify.corrections },
        maxAttempts: settings.maxAttempts,
        workerEnv: workerEnvOf(context.env),
        signal: context.interrupts.signal,
        resume: Boolean(options.resume),
        includeUncommitted: Boolean(flags.includeUncommitted),
        ...(flags.stack ? { stack: true } : {}),
        ...(settings.commands.check ? { checkCommand: settings.commands.check } : {}),
        ...(options.planningUsage ? { plannerUsage: options.planningUsage } : {}),
        ...(remote ? { host: remote.host, port: remote.port, token: remote.token, issuedTokensFile: remote.issuedTokensFile, ...(remote.tls ? { tls: remote.tls } : {}) } : {}),
        ...(flags.sandbox === false ? { sandbox: false } : {}),
        onEvent: (event) => {
          if (remote && event.type === 'run.started') out.write(remote.hint(event.url));
          view.onEvent(event);
        },
        onProgress: (taskId, event, usage) => view.onProgress(taskId, event, usage),
        onNotice: (text) => context.stderr.write(`${text}\n`),
        memory,
        memoryTokenBudget: settings.memory.tokenBudget,
        reports,
      }),
    ));
    await consolidateMemoryIfDue(memory, settings.memory.dreamEvery, context.stderr);
  } finally {
    view.stop();
    memory.close();
  }
  let exitCode: number = report.exitCode;
  if (flags.apply && report.outcome === 'succeeded' && report.branch) {
    report = await applyChanges(report, options, reports);
    if (!report.apply.applied) exitCode = ExitCode.taskFailed;
  }
  out.write(`\n${wrapFor(out, renderReportTerminal(report, { color }))}\nReport: ${paths.reportHtml}\n`);
  if (context.env.GITHUB_ACTIONS === 'true') for (const line of githubAnnotations(report)) out.write(`${line}\n`);
  if (flags.json) context.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  // The last line of a resumable ending is the command that continues it, where the person can still read it.
  if (isResumableOutcome(report.outcome)) (isGone(out) ? context.stderr : out).write(`Continue with:\n${resumeCommand(report)}\n`);
  return exitCode;
}

/** `--apply`: merges the run branch into the person's branch and records that in the reports; a refusal leaves everything as it was. */
async function applyChanges(report: RunReport, options: ExecutePlanOptions, reports: WriteReportsOptions): Promise<RunReport> {
  const { context, repoRoot, runId } = options;
  try {
    await applyRunBranch({ repo: repoRoot, runId, ownFiles: [reports.junitFile, reports.jsonFile].filter((file) => file !== undefined) });
  } catch (error) {
    if (!(error instanceof CoordinateError)) throw error;
    context.stderr.write(`coordinate: the run succeeded, but --apply did not: ${error.message}\n`);
    return report;
  }
  const applied: RunReport = { ...report, apply: { ...report.apply, applied: true } };
  // the step summary already holds this run's report once
  const { githubStepSummary: _once, ...files } = reports;
  await writeReports(applied, runPaths(repoRoot, runId), files);
  return applied;
}

/** The automatic "dream" every N runs. The run's outcome stands whatever happens here, so a failure is only reported. */
async function consolidateMemoryIfDue(memory: MemoryStore, every: number, err: NodeJS.WritableStream): Promise<void> {
  try {
    const dreamt = await memory.dreamIfDue({ every });
    if (dreamt) err.write(`Team memory consolidated (${dreamt.changes.length} change${dreamt.changes.length === 1 ? '' : 's'}); see .coordinate/MEMORY.md\n`);
  } catch (error) {
    err.write(`coordinate: team memory was not consolidated: ${error instanceof Error ? error.message : String(error)}\n`);
  }
}
