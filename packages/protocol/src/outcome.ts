import { z } from 'zod';

/**
 * The process exit codes, as the README documents them: one table for every command. Each
 * resumable ending (budget, model API, interrupted) prints its `coordinate resume` line.
 */
export const ExitCode = {
  ok: 0,
  taskFailed: 1,
  usage: 2,
  planRejected: 3,
  budgetExhausted: 4,
  apiUnavailable: 5,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Which exit code an error ends a command with: a key of {@link ExitCode} other than `ok`. */
export const ExitCategory = z.enum(['taskFailed', 'usage', 'planRejected', 'budgetExhausted', 'apiUnavailable', 'interrupted']);
export type ExitCategory = z.infer<typeof ExitCategory>;

/**
 * How a run ended. `budget_exhausted`, `api_unavailable` and `interrupted` are stops, not
 * verdicts: the run keeps its work and `coordinate resume` continues it.
 */
export const RunOutcome = z.enum(['succeeded', 'failed', 'budget_exhausted', 'api_unavailable', 'interrupted']);
export type RunOutcome = z.infer<typeof RunOutcome>;

const EXIT_FOR_OUTCOME: Record<RunOutcome, ExitCode> = {
  succeeded: ExitCode.ok,
  failed: ExitCode.taskFailed,
  budget_exhausted: ExitCode.budgetExhausted,
  api_unavailable: ExitCode.apiUnavailable,
  interrupted: ExitCode.interrupted,
};

export const exitCodeForOutcome = (outcome: RunOutcome): ExitCode => EXIT_FOR_OUTCOME[outcome];

/** True for the endings `coordinate resume` continues. */
export const isResumableOutcome = (outcome: RunOutcome): boolean => outcome !== 'succeeded' && outcome !== 'failed';

/** The run outcome a stop with this exit category means, for errors that stop a run rather than fail a task. */
export function stopOutcomeOf(exit: ExitCategory): RunOutcome | undefined {
  if (exit === 'budgetExhausted') return 'budget_exhausted';
  if (exit === 'apiUnavailable') return 'api_unavailable';
  if (exit === 'interrupted') return 'interrupted';
  return undefined;
}
