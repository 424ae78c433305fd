import { withoutTerminalCodes } from '@coordinate/tools';
import type { ReportCommandRun, ReportEvidence, TaskReport } from './schema.js';

/** "exit 1", or "never ran". */
export const exitOf = (run: ReportCommandRun) => (run.exitCode === null ? 'never ran' : `exit ${run.exitCode}`);

/** One line for a claim, labelled as the model's. */
export const claimLine = (claim: ReportEvidence) =>
  `claimed: $ ${claim.command} → exit ${claim.exitCode}${claim.verified ? ' (borne out by a real run)' : ` (not verified${claim.reason ? `: ${claim.reason}` : ''})`}`;

/** The last lines of a run's output (where a test runner prints its verdict), safe to print on a terminal. */
export function lastLines(text: string, count: number): string[] {
  return withoutTerminalCodes(text).replace(/\s+$/, '').split('\n').slice(-count);
}

/** What ran and what was claimed, as plain text: the body of a JUnit failure, the GitHub annotation. */
export function verificationText(task: TaskReport): string {
  const parts = task.failureReason ? [task.failureReason] : [];
  for (const run of task.verification?.ran ?? []) {
    parts.push(`ran (from the journal): $ ${run.command} → ${exitOf(run)}${run.reason ? ` (${run.reason})` : ''}\n${run.excerpt}`);
  }
  for (const claim of task.evidence) parts.push(`${claimLine(claim)}\n${claim.excerpt}`);
  return parts.join('\n\n');
}
