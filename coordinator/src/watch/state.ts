import { z } from 'zod';
import { JsonStore } from './json-store.js';

/** A branch the watcher made with a fix, followed until the person merges or drops it, and once merged, until they revert it. */
export const WatcherBranch = z.object({
  runId: z.string(),
  branch: z.string(),
  /** The commit the run started from, and the branch's tip once the run finished: a branch still at its base holds nothing to merge. */
  base: z.string().optional(),
  tip: z.string().optional(),
  finished: z.boolean().default(false),
  status: z.enum(['open', 'merged', 'rejected', 'reverted']),
  /** For a merged branch: the default branch's head up to which reverts of it were looked for. */
  revertsCheckedAt: z.string().optional(),
});
export type WatcherBranch = z.infer<typeof WatcherBranch>;
/** A plan the watcher proposed instead of acting, followed until a run of it is verified or it is cleared. */
export const Proposal = z.object({ id: z.string(), goal: z.string(), planMd: z.string(), status: z.enum(['open', 'verified', 'rejected']) });
export type Proposal = z.infer<typeof Proposal>;

/** What the watcher remembers between ticks (and restarts), so that only changes count. */
export const WatchState = z.object({
  /** The last head seen of each watched branch. */
  heads: z.record(z.string(), z.string()).default({}),
  /** Keys of failing checks already reported, so a failure is noticed once. */
  failingChecks: z.array(z.string()).default([]),
  /** Ids of review comments already seen; undefined until the first look, which only takes stock. */
  seenComments: z.array(z.number()).optional(),
  branches: z.array(WatcherBranch).default([]),
  proposals: z.array(Proposal).default([]),
  /** `now` notices raised on one day (UTC date), for watch.maxInterruptsPerDay. */
  interrupts: z.object({ day: z.string(), count: z.number().int() }).optional(),
  /** The day whose digest was last announced in the inbox. */
  digestDay: z.string().optional(),
  ticks: z.number().int().nonnegative().default(0),
});
export type WatchState = z.infer<typeof WatchState>;

export const watchStateStore = (file: string) => new JsonStore(file, WatchState, () => WatchState.parse({}));

/** The UTC date of `ms`, the unit of every daily budget. */
export const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
