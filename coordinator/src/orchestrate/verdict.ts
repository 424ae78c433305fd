import { z } from 'zod';
import type { TaskResultBody, TaskSpec } from '@coordinate/protocol';
import { checkVerdict, VerdictCheck } from '@coordinate/tools';
import { UnverifiedEvidenceError } from './errors.js';

const WithCheck = z.object({ evidenceCheck: VerdictCheck }).loose();

/** The verdict check kept in a result's `output`, if any. */
export function keptEvidenceCheck(result: TaskResultBody | undefined): VerdictCheck | undefined {
  const parsed = WithCheck.safeParse(result?.output);
  return parsed.success ? parsed.data.evidenceCheck : undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the verdict a result gives against the commands its worker really ran (`required`: the
 * commands a verify task must prove). A verification that claims success without proof fails with
 * the reason, not retryable: the worker already had its corrections, and running it again would
 * only reach a verdict again. The check is kept in the result's output either way, for the report
 * and for the fix decision.
 */
export function judgeEvidence(task: TaskSpec, result: TaskResultBody, required: readonly string[]): TaskResultBody {
  const claimed = result.evidence ?? [];
  if (task.role !== 'verify' && claimed.length === 0) return result;
  const check = checkVerdict({ outcome: result.outcome, claimed, commandsRun: result.commandsRun ?? [], required: task.role === 'verify' ? required : [] });
  const base = isPlainObject(result.output) ? result.output : result.output === undefined ? {} : { worker: result.output };
  const judged: TaskResultBody = { ...result, output: { ...base, evidenceCheck: check } };
  if (task.role !== 'verify' || result.outcome !== 'succeeded' || check.verified) return judged;
  return { ...judged, outcome: 'failed', error: new UnverifiedEvidenceError(task.id, check.reason ?? 'its evidence could not be checked').toData() };
}
