import { normalizeCommand, type VerdictCheck } from '@coordinate/tools';
import type { TaskState } from '../journal/index.js';
import type { ReportCommandRun, ReportEvidence, ReportVerification } from '../report/index.js';
import { keptEvidenceCheck } from './verdict.js';

/** Test runners print their verdict last: the report keeps the end of a run's output. */
const EXCERPT_CHARS = 2000;
const tail = (text: string) => (text.length <= EXCERPT_CHARS ? text : `[… ${text.length - EXCERPT_CHARS} characters before this …]\n${text.slice(-EXCERPT_CHARS)}`);

/** The claims of a task's `complete_task`, each marked with whether a real run bore it out. */
export function claimedEvidence(task: TaskState | undefined): ReportEvidence[] {
  const check = keptEvidenceCheck(task?.result);
  if (check) return check.items.map(({ command, exitCode, excerpt, verified, reason }) => ({ command, exitCode, excerpt, verified, ...(reason ? { reason } : {}) }));
  return (task?.result?.evidence ?? []).map(({ command, exitCode, excerpt }) => ({ command, exitCode, excerpt, verified: false }));
}

/** The last real run of each command a weak verification cited. */
function citedRuns(check: VerdictCheck, task: TaskState): ReportCommandRun[] {
  const runs = task.result?.commandsRun ?? [];
  const commands = [...new Set(check.items.map((item) => normalizeCommand(item.command)))];
  return commands.map((command) => {
    const last = runs.findLast((run) => normalizeCommand(run.command) === command);
    return last
      ? { command, exitCode: last.exitCode, excerpt: tail(last.excerpt), passed: last.exitCode === 0 }
      : { command, exitCode: null, excerpt: '', passed: false, reason: `\`${command}\` never ran` };
  });
}

/** What really ran for a verify task whose verdict was checked, from its journaled result. */
export function verificationOf(task: TaskState | undefined): ReportVerification | undefined {
  const check = keptEvidenceCheck(task?.result);
  if (!task || !check) return undefined;
  const ran = check.weak
    ? citedRuns(check, task)
    : check.required.map(({ command, passed, lastRun, reason }) => ({
        command,
        exitCode: lastRun?.exitCode ?? null,
        excerpt: lastRun ? tail(lastRun.excerpt) : '',
        passed,
        ...(reason ? { reason } : {}),
      }));
  // A failed verdict whose claims hold is still no verification of the work.
  return { verified: check.verified && task.status === 'succeeded', weak: check.weak, ran, ...(check.reason ? { reason: check.reason } : {}) };
}
