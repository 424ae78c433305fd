import type { ConflictOutcome, MergeConflictReport } from './schema.js';

/** A conflict as one line for people: who met whom, in which files, how it ended, where the work is kept. */
export function describeConflictOutcome(conflict: MergeConflictReport): string {
  const files = conflict.conflicts.length > 0 ? conflict.conflicts.map((file) => `${file.path} (${file.kind})`).join(', ') : conflict.files.join(', ');
  const met = conflict.metTasks.length > 0 ? ` met the work of ${conflict.metTasks.join(', ')}` : ' conflicted with merged work';
  const how: Record<ConflictOutcome, string> = {
    resolved: `resolved by ${conflict.resolvedBy ?? 'a later attempt'}`,
    resolved_no_change: `resolved with no change${conflict.resolvedBy ? ` by ${conflict.resolvedBy}` : ''}: ${conflict.reason ?? 'no reason given'}`,
    unresolved: `not resolved${conflict.resolvedBy ? ` (resolution task ${conflict.resolvedBy} did not succeed)` : ''}`,
  };
  const kept = conflict.keptAt ? `; its work is kept on ${conflict.keptAt}` : '';
  return `${conflict.taskId}${conflict.attempt ? ` (attempt ${conflict.attempt})` : ''}${met} in ${files}: ${how[conflict.outcome]}${kept}`;
}
