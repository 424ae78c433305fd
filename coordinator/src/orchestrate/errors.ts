import { CoordinateError } from '@coordinate/protocol';

/** executeRun was called with options it cannot run; nothing was started. */
export class ExecuteOptionsError extends CoordinateError {
  constructor(message: string, data?: unknown) {
    super('invalid_run_options', message, data);
  }
}

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

/** A run budget is used up before a task could start. */
export class RunBudgetError extends CoordinateError {
  constructor(reason: string, budget: string) {
    super('budget_exhausted', reason, { budget });
  }
}
