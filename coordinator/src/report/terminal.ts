import { count, formatDuration, formatTokens, formatUsd, totalTokens } from './format.js';
import { checkFailureLine, leaseLines, stackStat } from './integration-lines.js';
import { describeConflictOutcome } from './conflict-line.js';
import { outcomeWords } from './task-outcome.js';
import { notSeenLines } from './not-seen.js';
import { durationOf, NO_SANDBOX, runHeadline, unlandedConflicts } from './markdown.js';
import type { RunReport, TaskOutcome } from './schema.js';
import { sanitizeDeep } from '../display/sanitize.js';
import { createStyle } from './style.js';
import { claimLine, exitOf, lastLines } from './verification-lines.js';

/** The summary printed at the end of a run. */
export function renderReportTerminal(raw: RunReport, options: { color: boolean }): string {
  const report = sanitizeDeep(raw);
  const style = createStyle(options.color);
  const mark: Record<TaskOutcome, string> = { succeeded: style.green('✓'), failed: style.red('✗'), taken_over: style.yellow('↻'), skipped: style.dim('-'), interrupted: style.yellow('‖'), not_run: style.dim('·') };
  const headlineStyle = report.outcome !== 'succeeded' ? style.red : unlandedConflicts(report).length > 0 ? style.yellow : style.green;
  const lines = [headlineStyle(style.bold(`Run ${report.runId}: ${runHeadline(report)}`)), `Goal: ${report.goal}`];
  if (report.synthesis.trim() !== '') lines.push('', report.synthesis.trim());
  if (!report.sandboxed) lines.push('', style.yellow(NO_SANDBOX));
  if (report.budget) lines.push('', style.yellow(`Stopped by the budget ${report.budget.name} (limit ${report.budget.limit})${report.budget.reason ? `: ${report.budget.reason}` : ''}`));
  lines.push('');
  const idWidth = Math.max(...report.tasks.map((t) => t.id.length), 0);
  for (const task of report.tasks) {
    const attempts = task.attempts > 1 ? style.dim(` (${task.attempts} attempts)`) : '';
    const takenOver = task.outcome === 'taken_over' ? style.yellow(` — ${outcomeWords(task)}`) : '';
    lines.push(`  ${mark[task.outcome]} ${task.id.padEnd(idWidth)}  ${`[${task.role}]`.padEnd(11)} ${task.title}${attempts}${takenOver}`);
    // a taken-over task's conflict is told under "Merge conflicts"
    if (task.failureReason && task.outcome !== 'taken_over') lines.push(style.red(`      ${task.failureReason}`));
    for (const run of task.verification?.ran ?? []) {
      const line = `      ran: $ ${run.command} → ${exitOf(run)}${run.reason && run.exitCode !== null ? ` (${run.reason})` : ''}`;
      lines.push(run.passed ? style.dim(line) : style.red(line));
      if (!run.passed) for (const out of lastLines(run.excerpt, 3)) lines.push(style.dim(`        ${out}`));
    }
    if (task.verification?.weak && task.outcome === 'succeeded') lines.push(style.yellow('      weak: no required command was known'));
    for (const claim of task.evidence.filter((e) => !e.verified || task.outcome !== 'succeeded')) lines.push(style.dim(`      ${claimLine(claim)}`));
  }
  if (report.mergeConflicts.length > 0) lines.push('', 'Merge conflicts:');
  for (const conflict of report.mergeConflicts) {
    const paint = conflict.outcome === 'resolved' ? style.yellow : style.red;
    lines.push(paint(`  ${describeConflictOutcome(conflict)}`));
  }
  for (const failure of report.checkFailures ?? []) lines.push(style.yellow(checkFailureLine(failure)));
  if (report.leases?.denials.length) lines.push('', 'File leases:', ...leaseLines(report.leases).map((line) => style.yellow(`  ${line}`)));
  const d = report.diffstat;
  lines.push('', d.files.length === 0 ? 'No files changed.' : `${count(d.files.length, 'file')} changed, ${style.green(`+${d.insertions}`)} ${style.red(`-${d.deletions}`)}`);
  lines.push(`${formatTokens(totalTokens(report.usage))} tokens, ${formatUsd(report.usage.costUsd)}, ${formatDuration(durationOf(report))}`);
  if (report.branch) lines.push(`Branch: ${style.cyan(report.branch)}`);
  if (report.stack) lines.push('Stacked branches (one pull request each, in order):', ...report.stack.map((entry) => `  ${style.cyan(entry.branch)}  ${stackStat(entry)}`));
  lines.push(...notSeenLines(report.notSeen ?? []).map((line) => style.yellow(line)));
  if (report.apply.applied) lines.push('Applied: merged into your current branch and working tree.');
  else if (report.apply.commands.length > 0) lines.push(`Your branch and working tree are untouched. To apply: ${report.apply.commands.join('  or  ')}`);
  return lines.join('\n');
}
