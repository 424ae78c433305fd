import { z } from 'zod';
import { defineError } from '@coordinate/protocol';

// Both are retried: the next attempt starts from the run branch as it is now (with the work that
// conflicted merged), or runs the verification's commands again.
const MergeConflict = defineError('merge_conflict', z.object({ taskId: z.string(), files: z.array(z.string()), keptAt: z.string() }), {
  retryable: true,
  exit: 'taskFailed',
});
const UnverifiedEvidence = defineError('unverified_evidence', z.object({ taskId: z.string() }), { retryable: true, exit: 'taskFailed' });

/** An implementation's branch conflicts with the run branch; nothing was overwritten. */
export class MergeConflictError extends MergeConflict {
  constructor(taskId: string, files: string[], keptAt: string) {
    super(
      `the changes of ${taskId} conflict with work already merged into the run branch in ${files.join(', ')}; nothing was merged, and the task's work is kept on ${keptAt}`,
      { taskId, files, keptAt },
    );
  }
}

/** A verification's verdict could not be matched with the commands it really ran. */
export class UnverifiedEvidenceError extends UnverifiedEvidence {
  constructor(taskId: string, reason: string) {
    super(`the verification ${taskId} was not accepted: ${reason}`, { taskId });
  }
}
