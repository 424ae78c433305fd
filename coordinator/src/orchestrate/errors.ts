import { CoordinateError } from '@coordinate/protocol';


/** An implementation's branch conflicts with the run branch; nothing was overwritten. */
export class MergeConflictError extends CoordinateError {
  constructor(taskId: string, files: string[], keptAt: string) {
    super(
      'merge_conflict',
      `the changes of ${taskId} conflict with work already merged into the run branch in ${files.join(', ')}; nothing was merged, and the task's work is kept on ${keptAt}`,
      { taskId, files, keptAt },
    );
  }
}

/** A verification's verdict could not be matched with the commands it really ran. */
export class UnverifiedEvidenceError extends CoordinateError {
  constructor(taskId: string, reason: string) {
    super('unverified_evidence', `the verification ${taskId} was not accepted: ${reason}`, { taskId });
  }
}
