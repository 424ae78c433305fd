import { z } from 'zod';
import { ConflictedFile, CoordinateError, TaskId, type MergeConflictContext } from '@coordinate/protocol';

/** executeRun was called with options it cannot run; nothing was started. */
export class ExecuteOptionsError extends CoordinateError {
  constructor(message: string, data?: unknown) {
    super('invalid_run_options', message, data);
  }
}

/** What a merge conflict's error carries into the journal, for reports. */
export const MergeConflictData = z.object({
  taskId: TaskId,
  attempt: z.number().int().positive(),
  files: z.array(z.string()),
  conflicts: z.array(ConflictedFile),
  metTasks: z.array(TaskId),
  keptAt: z.string(),
});
export type MergeConflictData = z.infer<typeof MergeConflictData>;

/** An implementation's branch conflicts with the run branch; nothing was overwritten. */
export class MergeConflictError extends CoordinateError {
  constructor(taskId: string, conflict: MergeConflictContext) {
    const files = conflict.files.map((file) => `${file.path} (${file.kind})`).join(', ');
    const met = conflict.metTasks.length > 0 ? ` of ${conflict.metTasks.map((task) => task.id).join(', ')}` : '';
    const data: MergeConflictData = {
      taskId,
      attempt: conflict.attempt,
      files: conflict.files.map((file) => file.path),
      conflicts: conflict.files,
      metTasks: conflict.metTasks.map((task) => task.id),
      keptAt: conflict.keptAt,
    };
    super(
      'merge_conflict',
      `the changes of ${taskId} conflict with work${met} already merged into the run branch in ${files}; nothing was merged, and the task's work is kept on ${conflict.keptAt}`,
      data,
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
