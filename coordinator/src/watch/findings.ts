import { z } from 'zod';

/**
 * How loudly a finding speaks: `now` interrupts the person (capped per day), `digest` waits for
 * the daily digest, `silent` only goes into the tick's receipt.
 */
export const Level = z.enum(['now', 'digest', 'silent']);
export type Level = z.infer<typeof Level>;

/** Something a check found. `key` is stable, so the same problem is never reported twice. */
export const Finding = z.object({
  key: z.string(),
  kind: z.enum(['commit_checks_failed', 'pull_request_check_failed', 'review_comment', 'dream_due']),
  level: Level,
  title: z.string(),
  /** What the person (and the triage model) needs: the failing command's output, the comment. */
  detail: z.string(),
  /** Worth a model's triage: a finding that could need a fix. */
  triage: z.boolean(),
});
export type Finding = z.infer<typeof Finding>;

/** What a finding looks like in a receipt. */
export const findingRecord = (finding: Finding) => ({ key: finding.key, level: finding.level, title: finding.title });
