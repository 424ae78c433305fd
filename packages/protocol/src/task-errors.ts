import { z } from 'zod';
import { defineError } from './errors.js';

/*
 * The errors that end a task's attempt. They are made on either side of the socket (the worker's
 * agent loop, the coordinator's dispatcher) and read on the coordinator's, so both know them here.
 */

/** The task's own verdict: it ran and reported failure (tests fail, a bug it could not fix). Running it again would repeat it. */
export const TaskFailedError = defineError('task_failed', z.unknown(), { retryable: false, exit: 'taskFailed' });

/**
 * The attempt ended to wait for a file another running task holds (`path`, whose lease it was
 * refused): not a verdict on the task. When the coordinator did refuse the attempt that lease, the
 * task goes again once the holder settles and the wait counts no attempt; otherwise it is a failure
 * like any other, worth another attempt.
 */
export const LeaseWaitError = defineError('lease_wait', z.object({ path: z.string().max(1000) }), { retryable: true, exit: 'taskFailed' });

/** The executor threw: a fault around the task, worth another attempt. */
export const ExecutorError = defineError('executor_error', z.unknown(), { retryable: true, exit: 'taskFailed' });

/** The executor returned a result that does not fit the schema. */
export const InvalidResultError = defineError('invalid_result', z.unknown(), { retryable: true, exit: 'taskFailed' });

/** The coordinator could not prepare the attempt (its worktree, its context). */
export const PrepareFailedError = defineError('prepare_failed', z.unknown(), { retryable: true, exit: 'taskFailed' });

/** The coordinator could not take the result in. */
export const ResultRejectedError = defineError('result_rejected', z.unknown(), { retryable: true, exit: 'taskFailed' });

/** The task's worker died or went silent; `losses` caps how often this may happen to one task. */
export const WorkerLostError = defineError('worker_lost', z.object({ losses: z.number().int().nonnegative() }), { retryable: true, exit: 'taskFailed' });

/** The coordinator cancelled the attempt (the run is stopping, or the attempt is no longer current). */
export const CancelledError = defineError('cancelled', z.unknown(), { retryable: false, exit: 'interrupted' });

/** The attempt's signal aborted inside the agent loop. */
export const AbortedError = defineError('aborted', z.unknown(), { retryable: false, exit: 'interrupted' });

/** The conversation reached the role's turn limit without `complete_task`. */
export const TurnLimitError = defineError('turn_limit', z.object({ maxTurns: z.number().int().positive() }), { retryable: true, exit: 'taskFailed' });

/** The task answered without `complete_task`, was reminded, then made to call it, and still gave no verdict: another attempt would do the same. */
export const NoVerdictError = defineError('no_verdict', z.unknown(), { retryable: false, exit: 'taskFailed' });

/** The last turns repeated the same tool calls with the same results: another attempt would loop the same way. */
export const NoProgressError = defineError('no_progress', z.unknown(), { retryable: false, exit: 'taskFailed' });

/** Which budget a stop is about: the names of the flags' settings. */
export const BudgetName = z.enum(['maxTokens', 'maxCostUsd', 'timeoutMs']);
export type BudgetName = z.infer<typeof BudgetName>;

/**
 * The task's next model request would pass what is left of the run's budget. The task is
 * interrupted, not failed: it keeps its work and a resume with a higher budget continues it.
 */
export const BudgetExceededError = defineError('budget_exceeded', z.object({ budget: BudgetName }), { retryable: false, exit: 'budgetExhausted' });

/** A run budget is used up: nothing more is started; `coordinate resume` with a higher one continues. */
export const BudgetExhaustedError = defineError('budget_exhausted', z.object({ budget: BudgetName }), { retryable: false, exit: 'budgetExhausted' });

/** The model API refused the request for a reason another try will not change (a 4xx other than 408/429). */
export const ModelRequestFailedError = defineError('model_request_failed', z.object({ status: z.number().int().optional() }), {
  retryable: false,
  exit: 'taskFailed',
});

/**
 * The model API stayed unavailable past the retry policy (429/529/5xx or connection errors), or
 * asked to wait longer than the cap. The run stops resumably with exit 5.
 */
export const ModelApiUnavailableError = defineError(
  'model_api_unavailable',
  z.object({ status: z.number().int().optional(), retryAfterMs: z.number().nonnegative().optional() }),
  { retryable: false, exit: 'apiUnavailable' },
);

/** The worker does not take this role (its `--role`): another worker may. */
export const RoleRefusedError = defineError('role_refused', z.unknown(), { retryable: true, exit: 'taskFailed' });

/** The task's folder lies outside the worker's `--root`: another worker may take it. */
export const RootRefusedError = defineError('root_refused', z.object({ root: z.string() }), { retryable: true, exit: 'taskFailed' });
