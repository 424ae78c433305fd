import { count } from './format.js';
import type { CheckFailureReport, LeaseReport, StackEntry } from './schema.js';

/** File leases for people: how many files were taken, then each refused write and who held the file. */
export function leaseLines(leases: LeaseReport): string[] {
  return [
    `${count(leases.taken, 'file lease')} taken; ${count(leases.denials.length, 'write')} refused because another running task held the file.`,
    ...leases.denials.map((denial) => `${denial.taskId} (attempt ${denial.attempt}) was refused ${denial.path}: held by ${denial.holder}`),
  ];
}

/** A stacked branch's own change, e.g. "2 files, +5 −1 (src/math.js, test/math.test.js)". */
export function stackStat(entry: StackEntry): string {
  const { files, insertions, deletions } = entry.diffstat;
  return `${count(files.length, 'file')}, +${insertions} −${deletions} (${files.map((file) => file.path).join(', ')})`;
}

/** A merge that broke the run branch's check, for people. */
export function checkFailureLine(failure: CheckFailureReport): string {
  const how = failure.exitCode === null ? 'was stopped before it finished' : `exited with ${failure.exitCode}`;
  return `${failure.taskId} (attempt ${failure.attempt}) broke the run branch's check: \`${failure.command}\` ${how}; the merge was taken back and the task reopened`;
}
