import type { JournalEvent } from '../journal/events.js';
import type { RunState } from '../journal/index.js';
import type { ConflictOutcome, MergeConflictReport } from '../report/index.js';
import { MergeConflictData } from './errors.js';

/** How a task's conflicts ended, from its final state: merged with a change, ended with none, or never merged. */
function outcomeOf(state: RunState, taskId: string): { outcome: ConflictOutcome; reason?: string } {
  const task = state.tasks[taskId];
  if (task?.status !== 'succeeded') return { outcome: 'unresolved' };
  if ((task.result?.changedFiles?.length ?? 0) > 0) return { outcome: 'resolved' };
  return { outcome: 'resolved_no_change', reason: task.result?.summary ?? 'no reason given' };
}

/**
 * Every attempt whose change conflicted with merged work, from the journal (a later attempt's success
 * does not hide an earlier conflict), with its files and kinds, the tasks it met, how it ended and
 * where its work is kept.
 */
export function mergeConflictsOf(events: readonly JournalEvent[], state: RunState): MergeConflictReport[] {
  return events.flatMap((event): MergeConflictReport[] => {
    if (event.type !== 'task.finished' || event.result.error?.code !== 'merge_conflict') return [];
    const data = MergeConflictData.safeParse(event.result.error.data);
    const facts = data.success
      ? { attempt: data.data.attempt, files: data.data.files, conflicts: data.data.conflicts, metTasks: data.data.metTasks, keptAt: data.data.keptAt }
      : { attempt: event.attempt, files: [], conflicts: [], metTasks: [] };
    return [{ taskId: event.taskId, ...facts, ...outcomeOf(state, event.taskId), message: event.result.error.message }];
  });
}
