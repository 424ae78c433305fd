import type { Tier } from '@coordinate/tools';

/** What the triage model may ask for, each mapped to a risk tier below. */
export const ACTION_TIERS = {
  note: 'record',
  propose: 'record',
  dream: 'record',
  fix: 'edit',
  push: 'external',
  comment: 'external',
  open_pull_request: 'external',
  merge: 'external',
  force_push: 'external',
} as const satisfies Record<string, Tier>;
export type WatchAction = keyof typeof ACTION_TIERS;

export interface CeilingContext {
  defaultBranch: string;
  /** Branches nobody but the person pushes to: the default branch, the watched ones. */
  protectedBranches: readonly string[];
}

/** Branches the watcher makes are run branches, `coordinate/<runId>`; nothing else is its own. */
const isWatcherBranch = (branch: string) => branch.startsWith('coordinate/');

/**
 * The hard ceilings, which hold whatever the model says and whatever budget is left: the watcher
 * never merges, never force-pushes, and never pushes to the default branch, a protected branch
 * or any branch that is not its own. Returns the reason for a refusal, or undefined.
 */
export function ceilingRefusal(action: WatchAction, branch: string | undefined, context: CeilingContext): string | undefined {
  if (action === 'merge') return 'merging is the person\'s decision: the watcher never merges';
  if (action === 'force_push') return 'the watcher never force-pushes';
  if (action !== 'push') return undefined;
  if (branch === undefined) return 'a push must name the watcher\'s own branch';
  if (branch === context.defaultBranch || context.protectedBranches.includes(branch)) return `the watcher never pushes to ${branch}, a default or protected branch`;
  if (!isWatcherBranch(branch)) return `the watcher pushes only its own coordinate/ branches, not ${branch}`;
  return undefined;
}
