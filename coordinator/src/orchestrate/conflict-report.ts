import type { JournalEvent } from '../journal/events.js';
import type { RunState } from '../journal/index.js';
import type { ConflictOutcome, MergeConflictReport } from '../report/index.js';
import { conflictOfResult, takenOverOf } from './conflict-resolution.js';

/**
 * How a task's conflict ended: followed through the resolution tasks that took it over to the last
 * one, then from that task's final state: merged with a change, ended with none, or never merged.
 */
function outcomeOf(state: RunState, taskId: string, takenOver: ReadonlyMap<string, string>): { outcome: ConflictOutcome; reason?: string; resolvedBy?: string } {
  let last = taskId;
  const seen = new Set([last]);
  for (let next = takenOver.get(last); next !== undefined && !seen.has(next); next = takenOver.get(last)) {
    seen.add(next);
    last = next;
  }
  const by = last !== taskId ? { resolvedBy: last } : {};
  const task = state.tasks[last];
  if (task?.status !== 'succeeded') return { outcome: 'unresolved', ...by };
  if ((task.result?.changedFiles?.length ?? 0) > 0) return { outcome: 'resolved', ...by };
  return { outcome: 'resolved_no_change', reason: task.result?.summary ?? 'no reason given', ...by };
}

/**
 * Every attempt whose change conflicted with merged work, from the journal (a later attempt's success
 * does not hide an earlier conflict), with its files and kinds, the tasks it met, the resolution task
 * that took it over and how that ended, and where the conflicting work is kept.
 */
export function mergeConflictsOf(events: readonly JournalEvent[], state: RunState): MergeConflictReport[] {
  const takenOver = takenOverOf(events);
  return events.flatMap((event): MergeConflictReport[] => {
    if (event.type !== 'task.finished' || event.result.error?.code !== 'merge_conflict') return [];
    const context = conflictOfResult(event.result);
    const facts = context
      ? {
          attempt: context.attempt,
          files: context.files.map((file) => file.path),
          conflicts: context.files,
          metTasks: context.metTasks.map((task) => task.id),
          keptAt: context.keptAt,
        }
      : { attempt: event.attempt, files: [], conflicts: [], metTasks: [] };
    return [{ taskId: event.taskId, ...facts, ...outcomeOf(state, event.taskId, takenOver), message: event.result.error.message }];
  });
}
