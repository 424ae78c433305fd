import { rebuildError, stopOutcomeOf, type MergeConflictContext } from '@coordinate/protocol';
import type { JournalEvent, JournalEventOf } from '../journal/events.js';
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

/** The conflict a finished attempt journaled, or undefined when it did not conflict (or the data is unreadable). */
function conflictOf(event: JournalEventOf<'task.finished'>): MergeConflictContext | undefined {
  if (event.result.error?.code !== 'merge_conflict') return undefined;
  const data = MergeConflictData.safeParse(event.result.error.data);
  return data.success ? data.data.context : undefined;
}

/**
 * Every attempt whose change conflicted with merged work, from the journal (a later attempt's success
 * does not hide an earlier conflict), with its files and kinds, the tasks it met, how it ended and
 * where its work is kept.
 */
export function mergeConflictsOf(events: readonly JournalEvent[], state: RunState): MergeConflictReport[] {
  return events.flatMap((event): MergeConflictReport[] => {
    if (event.type !== 'task.finished' || event.result.error?.code !== 'merge_conflict') return [];
    const context = conflictOf(event);
    const facts = context
      ? {
          attempt: context.attempt,
          files: context.files.map((file) => file.path),
          conflicts: context.files,
          metTasks: context.metTasks.map((task) => task.id),
          keptAt: context.keptAt,
        }
      : { attempt: event.attempt, files: [], conflicts: [], metTasks: [] };
    return [{ taskId: event.taskId, ...facts, ...outcomeOf(state, event.taskId), message: event.result.error.message }];
  });
}

/** A conflict whose retry has not reached a verdict yet: what that retry is told, and whether it still has to start over from the run branch. */
export interface PendingConflict {
  context: MergeConflictContext;
  /** No later attempt was handed out yet: the conflicting work is still on the task branch. */
  startOver: boolean;
}

/**
 * The conflicts a resumed run must still resolve, rebuilt from the journal: per task, its last conflict
 * when no later attempt reached a verdict (an attempt a budget, an outage or a person stopped is none).
 */
export function pendingConflictsOf(events: readonly JournalEvent[]): Map<string, PendingConflict> {
  const pending = new Map<string, PendingConflict>();
  for (const event of events) {
    if (event.type === 'task.assigned') {
      const held = pending.get(event.taskId);
      if (held && event.attempt > held.context.attempt) held.startOver = false;
    } else if (event.type === 'task.finished') {
      const context = conflictOf(event);
      const held = pending.get(event.taskId);
      if (context) pending.set(event.taskId, { context, startOver: true });
      else if (held && event.attempt > held.context.attempt && !stoppedBy(event)) pending.delete(event.taskId);
    }
  }
  return pending;
}

const stoppedBy = (event: JournalEventOf<'task.finished'>) =>
  event.result.error !== undefined && stopOutcomeOf(rebuildError(event.result.error).exit) !== undefined;
