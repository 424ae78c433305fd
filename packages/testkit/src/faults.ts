import { z } from 'zod';
import { seededRandom } from './seeded-random.js';

export const FaultKind = z.discriminatedUnion('kind', [
  /** 429 with a `retry-after` header. */
  z.object({ kind: z.literal('rate_limit'), retryAfterS: z.number().nonnegative().max(3600) }),
  /** 529, the API's "overloaded". */
  z.object({ kind: z.literal('overloaded') }),
  /** 500. */
  z.object({ kind: z.literal('server_error') }),
  /** The answer starts only after this delay. */
  z.object({ kind: z.literal('slow'), ms: z.number().int().nonnegative().max(600_000) }),
  /** The stream stops inside a content block and the socket is destroyed. */
  z.object({ kind: z.literal('cut_stream') }),
  /** The first tool call's streamed input is not valid JSON (streaming requests only). */
  z.object({ kind: z.literal('bad_tool_json') }),
]);
export type FaultKind = z.infer<typeof FaultKind>;

export const FaultPlan = z.object({
  seed: z.number().int().optional(),
  /** Share of requests (0..1), after `sequence`, that get a fault drawn from `kinds`. */
  rate: z.number().min(0).max(1).optional(),
  kinds: z.array(FaultKind).min(1).optional(),
  /** The first requests get these faults, in order. */
  sequence: z.array(FaultKind).optional(),
  /** This many requests are answered before any fault (an API that goes down mid-run); default 0. */
  after: z.number().int().nonnegative().optional(),
});
export type FaultPlan = z.infer<typeof FaultPlan>;

const TRANSIENT_KINDS: FaultKind[] = [{ kind: 'rate_limit', retryAfterS: 0 }, { kind: 'overloaded' }, { kind: 'server_error' }];


/** Decides, request by request, which fault (if any) the server injects. */
export function createFaultPicker(plan: FaultPlan = {}): () => FaultKind | undefined {
  const random = seededRandom(plan.seed ?? 1);
  const sequence = [...(plan.sequence ?? [])];
  const kinds = plan.kinds ?? TRANSIENT_KINDS;
  const rate = plan.rate ?? 0;
  let healthy = plan.after ?? 0;
  return () => {
    if (healthy > 0) {
      healthy--;
      return undefined;
    }
    const next = sequence.shift();
    if (next) return next;
    if (rate === 0 || random() >= rate) return undefined;
    return kinds[Math.floor(random() * kinds.length)];
  };
}
