import type { TaskReport } from './schema.js';

/**
 * A task's outcome in words, the same in the terminal summary, report.md and report.html. A task
 * whose conflicting attempt a resolution task took over names it and how the conflict ended.
 */
export function outcomeWords(task: Pick<TaskReport, 'outcome' | 'takenOverBy' | 'conflictOutcome'>): string {
  if (task.outcome !== 'taken_over') return task.outcome;
  const by = task.takenOverBy ?? 'a resolution task';
  switch (task.conflictOutcome) {
    case 'resolved_no_change':
      return `taken over, resolved with no change by ${by}`;
    case 'unresolved':
      return `taken over by ${by}, which did not succeed`;
    default:
      return `taken over, resolved by ${by}`;
  }
}
