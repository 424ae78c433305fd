import { failedResult, type TaskSpec } from '@coordinate/protocol';
import type { AttemptOutcome } from './attempt.js';
import type { PreparedTask } from './prepared-task.js';
import { checkRunOptions, type RunPlanOptions, type RunPlanResult } from './run-options.js';
import { RunSession } from './session.js';
import { AttemptStages } from './task-stage.js';

/**
 * Runs a task graph on a pool of worker processes over WebSockets and resolves with the outcome
 * once every task is settled, the run was interrupted, or it stopped. Each attempt is prepared with
 * `options.prepare` (static executor settings), and its worker's result is its verdict: nothing is
 * merged. Everything that happens is in the run's journal, from which `state` is rebuilt.
 */
export async function runPlan(input: RunPlanOptions): Promise<RunPlanResult> {
  const options = checkRunOptions(input);
  const session = await RunSession.open(options);
  try {
    const attempt = async (task: TaskSpec, number: number, signal: AbortSignal): Promise<AttemptOutcome> => {
      const stages = new AttemptStages(task.id, number);
      let prepared: PreparedTask;
      try {
        prepared = (await options.prepare?.(task, number)) ?? {};
      } catch (error) {
        return session.recordVerdict(task, stages, failedResult(error, 'prepare_failed'));
      }
      const outcome = await session.attempt(task, stages, prepared, signal);
      return outcome.kind === 'result' ? session.recordVerdict(task, stages, outcome.result) : outcome;
    };
    const scheduler = session.scheduler({ maxAttempts: options.maxAttempts, runAttempt: attempt, ...(options.grow ? { grow: options.grow } : {}) });
    const outcome = await session.drive(scheduler, options.signal ? { signal: options.signal } : {});
    return { runId: options.runId, outcome, url: session.url, state: session.state() };
  } finally {
    await session.close();
  }
}
