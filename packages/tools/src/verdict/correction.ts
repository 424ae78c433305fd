import type { VerdictCheck } from './check-verdict.js';

const MAX_PROBLEMS = 10;

/**
 * What a task is told when its verdict could not be verified: each problem, what must hold, and that
 * it may run commands and call `complete_task` again. The text goes back as the tool result of the
 * rejected `complete_task` call.
 */
export function correctionFor(check: VerdictCheck, correctionsLeft: number): string {
  const problems = check.problems.slice(0, MAX_PROBLEMS).map((problem) => `- ${problem}`);
  if (check.problems.length > MAX_PROBLEMS) problems.push(`- and ${check.problems.length - MAX_PROBLEMS} more`);
  const required = check.required.map((item) => `\`${item.command}\``).join(', ');
  const rule = required
    ? `A success needs each required command (${required}) to run in this task after your last change to the files, with its last run exiting 0.`
    : 'A success needs at least one command that really checks the work, run in this task.';
  return [
    'complete_task was not accepted: its evidence could not be verified.',
    ...problems,
    rule,
    'Quote each excerpt from the run_command result as you were shown it (it starts with the line `exit code N`).',
    `Run what is needed, then call complete_task again (${correctionsLeft} more ${correctionsLeft === 1 ? 'try' : 'tries'}); if the checks fail, report status "failed" with that evidence.`,
  ].join('\n');
}
