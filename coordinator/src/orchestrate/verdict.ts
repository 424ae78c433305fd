import { z } from 'zod';
import { Evidence, type TaskResultBody, type TaskSpec } from '@coordinate/protocol';
import { checkEvidence, type EvidenceCheck } from '../verify/index.js';
import { UnverifiedEvidenceError } from './errors.js';

/** The evidence check as it is kept in a result's `output`, for the report and for fix rounds. */
export const KeptEvidenceCheck = z.object({
  verified: z.boolean(),
  items: z.array(Evidence.extend({ verified: z.boolean(), reason: z.string().optional() })),
  reason: z.string().optional(),
});

const WithCheck = z.object({ evidenceCheck: KeptEvidenceCheck }).loose();

/** The evidence check kept in a result, if any. */
export function keptEvidenceCheck(result: TaskResultBody | undefined): EvidenceCheck | undefined {
  const parsed = WithCheck.safeParse(result?.output);
  return parsed.success ? parsed.data.evidenceCheck : undefined;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the evidence a result claims against the commands its worker really ran. A verification
 * that claims success without matching evidence fails with the reason; the check is kept in the
 * result's output either way, so the report shows which claims were seen to be true.
 */
export function judgeEvidence(task: TaskSpec, result: TaskResultBody): TaskResultBody {
  const claimed = result.evidence ?? [];
  if (task.role !== 'verify' && claimed.length === 0) return result;
  const check = checkEvidence({ claimed, commandsRun: result.commandsRun ?? [], outcome: result.outcome });
  const base = isPlainObject(result.output) ? result.output : result.output === undefined ? {} : { worker: result.output };
  const judged: TaskResultBody = { ...result, output: { ...base, evidenceCheck: check } };
  if (task.role !== 'verify' || result.outcome !== 'succeeded' || check.verified) return judged;
  return { ...judged, outcome: 'failed', error: new UnverifiedEvidenceError(task.id, check.reason ?? 'its evidence could not be checked').toData() };
}
