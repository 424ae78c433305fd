import { count, formatDuration, formatTokens, formatUsd, totalTokens } from './format.js';
import { durationOf, RUN_HEADLINE } from './markdown.js';
import type { RunReport, TaskOutcome } from './schema.js';
import { sanitizeDeep } from '../display/sanitize.js';
import { createStyle } from './style.js';

/** The summary printed at the end of a run. */
export function renderReportTerminal(raw: RunReport, options: { color: boolean }): string {
  const report = sanitizeDeep(raw);
  const style = createStyle(options.color);
  const mark: Record<TaskOutcome, string> = { succeeded: style.green('✓'), failed: style.red('✗'), skipped: style.dim('-'), interrupted: style.yellow('‖'), not_run: style.dim('·') };
  const ok = report.outcome === 'succeeded';
  const lines = [(ok ? style.green : style.red)(style.bold(`Run ${report.runId}: ${RUN_HEADLINE[report.outcome]}`)), `Goal: ${report.goal}`];
  if (report.synthesis.trim() !== '') lines.push('', report.synthesis.trim());
  if (report.budget) lines.push('', style.yellow(`Stopped by the budget ${report.budget.name} (limit ${report.budget.limit})${report.budget.reason ? `: ${report.budget.reason}` : ''}`));
  lines.push('');
  const idWidth = Math.max(...report.tasks.map((t) => t.id.length), 0);
  for (const task of report.tasks) {
    const attempts = task.attempts > 1 ? style.dim(` (${task.attempts} attempts)`) : '';
    lines.push(`  ${mark[task.outcome]} ${task.id.padEnd(idWidth)}  ${`[${task.role}]`.padEnd(11)} ${task.title}${attempts}`);
    if (task.failureReason) lines.push(style.red(`      ${task.failureReason}`));
    for (const e of task.evidence.filter((e) => e.exitCode !== 0 || !e.verified)) {
      lines.push(style.dim(`      $ ${e.command} → exit ${e.exitCode}${e.verified ? '' : ' (unverified)'}`));
    }
  }
  for (const conflict of report.mergeConflicts) lines.push(style.red(`  merge conflict in ${conflict.taskId}: ${conflict.files.join(', ')}`));
  const d = report.diffstat;
  lines.push('', d.files.length === 0 ? 'No files changed.' : `${count(d.files.length, 'file')} changed, ${style.green(`+${d.insertions}`)} ${style.red(`-${d.deletions}`)}`);
  lines.push(`${formatTokens(totalTokens(report.usage))} tokens, ${formatUsd(report.usage.costUsd)}, ${formatDuration(durationOf(report))}`);
  if (report.branch) lines.push(`Branch: ${style.cyan(report.branch)}`);
  if (report.apply.applied) lines.push('Applied: merged into your current branch and working tree.');
  else if (report.apply.commands.length > 0) lines.push(`Your branch and working tree are untouched. To apply: ${report.apply.commands.join('  or  ')}`);
  return lines.join('\n');
}
