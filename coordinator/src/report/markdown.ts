import { safeMarkdown, sanitizeDeep } from '../display/sanitize.js';
import { count, formatDuration, formatTokens, formatUsd, totalTokens } from './format.js';
import { checkFailureLine, leaseLines, stackStat } from './integration-lines.js';
import { describeConflictOutcome } from './conflict-line.js';
import { notSeenLines } from './not-seen.js';
import { outcomeWords } from './task-outcome.js';
import type { RunReport, TaskOutcome, TaskReport } from './schema.js';
import { claimLine, exitOf } from './verification-lines.js';

const OUTCOME_ICON: Record<TaskOutcome, string> = { succeeded: '✅', failed: '❌', taken_over: '🔀', skipped: '⏭️', interrupted: '⏸️', not_run: '⏸️' };
const RUN_HEADLINE: Record<RunReport['outcome'], string> = {
  succeeded: 'all tasks succeeded and were verified',
  failed: 'a task or a verification failed',
  budget_exhausted: 'a budget ran out',
  api_unavailable: 'interrupted: model API unavailable',
  interrupted: 'interrupted',
};

/** Conflicts whose task ended without landing the change that conflicted: its work is only on the kept branch. */
export const unlandedConflicts = (report: RunReport) => report.mergeConflicts.filter((conflict) => conflict.outcome !== 'resolved');

/**
 * The run's outcome in words. A succeeded run whose conflicting change ended with no change does not
 * claim that everything landed: the headline names the tasks and points at the kept work.
 */
export function runHeadline(report: RunReport): string {
  const unlanded = report.outcome === 'succeeded' ? unlandedConflicts(report) : [];
  if (unlanded.length === 0) return RUN_HEADLINE[report.outcome];
  const tasks = [...new Set(unlanded.map((conflict) => conflict.taskId))];
  return `tasks succeeded and were verified, but the conflicting work of ${tasks.join(', ')} did not land (resolved with no change): see the merge conflicts`;
}

/** Said in every report of a run whose task commands ran outside the OS sandbox. */
export const NO_SANDBOX = 'Run with --no-sandbox: task commands ran outside the OS sandbox, with your full file access and the network.';

/** Text in a table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

/** A fence longer than any backtick run inside, so an excerpt can never close it early. */
function fenced(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text.replace(/\n$/, '')}\n${fence}`;
}

export function durationOf(report: RunReport): number {
  return Date.parse(report.finishedAt) - Date.parse(report.startedAt);
}

function taskDetails(task: TaskReport): string[] {
  const lines = [`### ${OUTCOME_ICON[task.outcome]} ${task.id}: ${cell(task.title)}`, ''];
  if (task.summary.trim() !== '') lines.push(task.summary.trim(), '');
  if (task.outcome === 'taken_over') lines.push(`**${outcomeWords(task)}:** ${task.failureReason ?? 'its attempt met merged work'}`, '');
  else if (task.failureReason) lines.push(`**Why it failed:** ${task.failureReason}`, '');
  if (task.verification) {
    lines.push(`**What ran** (from the journal${task.verification.weak ? '; weak: no required command was known' : ''}):`, '');
    for (const run of task.verification.ran) {
      lines.push(`- \`${cell(run.command)}\` ${run.passed ? '✅' : '❌'} ${exitOf(run)}${run.reason ? `: ${cell(run.reason)}` : ''}`);
      if (run.excerpt.trim() !== '') lines.push('', fenced(run.excerpt), '');
    }
    lines.push('');
  }
  if (task.evidence.length > 0) lines.push(`**What ${task.role === 'verify' ? 'the verifier' : 'the task'} claimed:**`, '');
  for (const claim of task.evidence) {
    lines.push(`- ${cell(claimLine(claim))}`);
    if (claim.excerpt.trim() !== '') lines.push('', fenced(claim.excerpt), '');
  }
  if (task.changedFiles.length > 0) lines.push(`- Changed: ${task.changedFiles.map((f) => `\`${cell(f)}\``).join(', ')}`);
  lines.push('');
  return lines;
}

/** report.md, and the GitHub step summary. */
export function renderReportMarkdown(raw: RunReport): string {
  const report = sanitizeDeep(raw, safeMarkdown);
  const lines = [
    `# coordinate run ${report.runId}: ${runHeadline(report)}`,
    '',
    `**Goal:** ${report.goal}`,
    '',
  ];
  if (report.synthesis.trim() !== '') lines.push(report.synthesis.trim(), '');
  if (!report.sandboxed) lines.push(`**${NO_SANDBOX}**`, '');
  if (report.budget) lines.push(`**Stopped by the budget \`${report.budget.name}\`** (limit ${report.budget.limit})${report.budget.reason ? `: ${report.budget.reason}` : ''}`, '');
  lines.push('| Task | Role | Outcome | Attempts | Tokens | Cost |', '|---|---|---|---|---|---|');
  for (const task of report.tasks) {
    lines.push(`| ${task.id}: ${cell(task.title)} | ${task.role} | ${OUTCOME_ICON[task.outcome]} ${outcomeWords(task)} | ${task.attempts} | ${formatTokens(totalTokens(task.usage))} | ${formatUsd(task.usage.costUsd)} |`);
  }
  lines.push('', '## Tasks', '');
  for (const task of report.tasks) lines.push(...taskDetails(task));
  if (report.mergeConflicts.length > 0) {
    lines.push('## Merge conflicts', '');
    for (const conflict of report.mergeConflicts) lines.push(`- ${cell(describeConflictOutcome(conflict))}`);
    lines.push('');
  }
  if (report.checkFailures) lines.push('## Run branch check', '', ...report.checkFailures.map((failure) => `- ${cell(checkFailureLine(failure))}`), '');
  if (report.leases) lines.push('## File leases', '', ...leaseLines(report.leases).map((line) => `- ${cell(line)}`), '');
  if (report.steering.length > 0) {
    lines.push('## Steering', '');
    for (const steer of report.steering) {
      lines.push(steer.kind === 'note' ? `- Note to ${steer.taskIds.join(', ')}: ${cell(steer.text)}` : `- Task added: ${steer.taskIds[0]}: ${cell(steer.text)}`);
    }
    lines.push('');
  }
  lines.push('## Changes', '');
  if (report.diffstat.files.length === 0) lines.push('No files changed.');
  else {
    lines.push(`${count(report.diffstat.files.length, 'file')} changed, ${count(report.diffstat.insertions, 'insertion')}(+), ${count(report.diffstat.deletions, 'deletion')}(-)`, '');
    lines.push(...report.diffstat.files.map((f) => `- \`${cell(f.path)}\` +${f.insertions} −${f.deletions}`));
  }
  if (report.stack) {
    lines.push('', '## Stacked branches', '', 'One branch per task, each based on the one before it: open one pull request per branch, in this order.', '');
    for (const entry of report.stack) lines.push(`- \`${cell(entry.branch)}\` (${entry.taskId}, base \`${cell(entry.base)}\`): ${stackStat(entry)}`);
  }
  lines.push('', '## Run', '');
  lines.push(`- Duration: ${formatDuration(durationOf(report))}`);
  lines.push(`- Tokens: ${formatTokens(totalTokens(report.usage))} in ${report.usage.requests} requests; cost ${formatUsd(report.usage.costUsd)}`);
  if (report.branch) lines.push(`- Branch: \`${report.branch}\`${report.baseCommit ? ` (from \`${report.baseCommit.slice(0, 12)}\`)` : ''}`);
  if (report.includedUncommitted) lines.push('- Started from a snapshot of your uncommitted work (`--include-uncommitted`).');
  const notSeen = notSeenLines(report.notSeen ?? []);
  if (notSeen.length > 0) lines.push(`- ${notSeen[0]}`, ...notSeen.slice(1).map((line) => `  - \`${cell(line.trim())}\``));
  if (report.apply.applied) lines.push('- Applied: merged into your current branch and working tree.');
  else if (report.apply.commands.length > 0) lines.push(`- Your branch and working tree are untouched. To apply: ${report.apply.commands.map((c) => `\`${c}\``).join(' or ')}`);
  return `${lines.join('\n')}\n`;
}
