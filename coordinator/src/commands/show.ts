import { access } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { ExitCode } from '@coordinate/protocol';
import { wrapFor } from '../cli/wrap.js';
import { UsageError } from '../cli/errors.js';
import { colorEnabled, createStyle, formatTokens, formatUsd, renderReportTerminal, totalTokens, writeReports } from '../report/index.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { describeStatus, readRun, statusOf, type StoredRun } from './run-store.js';

/** A run without a report yet: each task's state as the journal tells it. */
function renderLiveState(run: StoredRun, color: boolean): string {
  const style = createStyle(color);
  const status = statusOf(run);
  const lines = [style.bold(`Run ${run.runId}: ${describeStatus(status, run.lock?.pid)}${run.lock ? ` on ${run.lock.host}` : ''}`)];
  if (run.reportProblem) lines.push(style.yellow(run.reportProblem));
  const goal = run.state?.run?.goal ?? run.plan?.goal;
  if (goal) lines.push(`Goal: ${goal}`);
  const tasks = run.state?.run?.tasks ?? run.plan?.tasks ?? [];
  const width = Math.max(0, ...tasks.map((t) => t.id.length));
  lines.push('');
  for (const task of tasks) {
    const state = run.state?.tasks[task.id];
    const reason = state?.reason ? style.dim(`  ${state.reason}`) : '';
    lines.push(`  ${task.id.padEnd(width)}  ${(state?.status ?? 'pending').padEnd(9)} [${task.role}] ${task.title}${reason}`);
  }
  if (run.state) lines.push('', `${formatTokens(totalTokens(run.state.usage))} tokens, ${formatUsd(run.state.usage.costUsd)} so far`);
  if (status === 'unfinished' || status === 'interrupted' || status === 'budget_exhausted' || status === 'api_unavailable') lines.push(`Continue it with: coordinate resume ${run.runId}`);
  if (status === 'planned') lines.push(`Not started. Run it with: coordinate run ${run.paths.planMd}`);
  if (status === 'unplanned') lines.push('Planning stopped before a plan was approved; nothing ran and there is nothing to resume.');
  return lines.join('\n');
}

const ShowFlags = defineFlags({
  json: flag('--json', 'print report.json (or the state rebuilt from the journal) as JSON'),
  open: flag('--open', 'open report.html in your browser'),
  cwd: cwdFlag,
});

/** Opens the run's report.html in the person's browser, writing it first for a run that finished before there was one. */
async function openReportHtml(run: StoredRun): Promise<void> {
  if (!run.report) throw new UsageError(`run ${run.runId} has no report yet (${statusOf(run)})`, `\`coordinate show ${run.runId}\` shows its state from the journal`);
  if (!(await access(run.paths.reportHtml).then(() => true, () => false))) await writeReports(run.report, run.paths);
  const { default: open } = await import('open');
  await open(run.paths.reportHtml, { wait: false });
}

export function registerShowCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  ShowFlags.declare(
    program
      .command('show')
      .description("show a run's report, or its live state from the journal while it runs")
      .argument('<runId>', 'the run, as `coordinate runs` lists it, or a unique start of its id'),
  ).action(async (runId: string, raw: unknown) => {
    const flags = ShowFlags.read(raw);
    const run = await readRun(await resolveRepoRoot(flags.cwd, context.cwd), runId);
    if (flags.open) {
      await openReportHtml(run);
      context.stdout.write(`Opened ${run.paths.reportHtml}\n`);
    } else if (flags.json) {
      const body = run.report ?? { runId: run.runId, status: statusOf(run), reportProblem: run.reportProblem, plan: run.plan, state: run.state };
      context.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else {
      const color = colorEnabled(context.env, Boolean(context.stdout.isTTY));
      context.stdout.write(`${wrapFor(context.stdout, run.report && !run.lock ? renderReportTerminal(run.report, { color }) : renderLiveState(run, color))}\n`);
    }
    done(ExitCode.ok);
  });
}
