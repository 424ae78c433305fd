import { z } from 'zod';
import { defineError, MergeConflictContext, TaskId, type MergeCheckFailure } from '@coordinate/protocol';

/**
 * What a merge conflict's error carries into the journal: the whole context the next attempt is told,
 * so reports name the conflict and a resumed run tells the retry what the interrupted one would have been told.
 */
export const MergeConflictData = z.object({
  taskId: TaskId,
  context: MergeConflictContext,
});
export type MergeConflictData = z.infer<typeof MergeConflictData>;

// Taken over by a resolution task on the run-branch head (retried only when its chain of resolutions is used up).
const MergeConflict = defineError('merge_conflict', MergeConflictData, { retryable: true, exit: 'taskFailed' });
// Not retried: the verifier was already told what failed and given its corrections in the same
// conversation; running it from scratch would reach a verdict again (the issue: 4x the tokens).
const UnverifiedEvidence = defineError('unverified_evidence', z.object({ taskId: z.string() }), { retryable: false, exit: 'taskFailed' });

/** An implementation's branch conflicts with the run branch; nothing was overwritten. */
export class MergeConflictError extends MergeConflict {
  constructor(taskId: string, conflict: MergeConflictContext) {
    const files = conflict.files.map((file) => `${file.path} (${file.kind})`).join(', ');
    const met = conflict.metTasks.length > 0 ? ` of ${conflict.metTasks.map((task) => task.id).join(', ')}` : '';
    super(
      `the changes of ${taskId} conflict with work${met} already merged into the run branch in ${files}; nothing was merged, and the task's work is kept on ${conflict.keptAt}`,
      { taskId, context: conflict },
    );
  }
}

/** A verification's verdict could not be matched with the commands it really ran. */
export class UnverifiedEvidenceError extends UnverifiedEvidence {
  constructor(taskId: string, reason: string) {
    super(`the verification ${taskId} was not accepted: ${reason}`, { taskId });
  }
}

/** What a check failure's error carries into the journal, for reports. */
export const MergeCheckData = z.object({ taskId: TaskId, attempt: z.number().int().positive(), command: z.string(), exitCode: z.number().int().nullable() });

// Retried (up to maxAttempts): the next attempt continues from its own work, told the check's output.
const MergeCheckFailed = defineError('merge_check_failed', MergeCheckData, {
  retryable: true,
  exit: 'taskFailed',
});

/** An implementation merged cleanly but broke the run branch's check; the merge was taken back. */
export class MergeCheckFailedError extends MergeCheckFailed {
  constructor(taskId: string, failure: MergeCheckFailure) {
    const how = failure.exitCode === null ? 'was stopped before it finished' : `exited with ${failure.exitCode}`;
    super(`the changes of ${taskId} broke the run branch's check: \`${failure.command}\` ${how} on the merged tree; the merge was taken back`, {
      taskId,
      attempt: failure.attempt,
      command: failure.command,
      exitCode: failure.exitCode,
    });
  }
}
