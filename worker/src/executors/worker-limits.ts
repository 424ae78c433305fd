import path from 'node:path';
import { RootRefusedError, type ToolPolicy } from '@coordinate/protocol';
import type { WorkerLimits } from '../limits.js';

/**
 * The folder a task works in, which must lie inside the worker's own root when it has one: a
 * coordinator cannot send a worker started by hand into the person's home.
 */
export function taskRoot(requested: string, own: WorkerLimits): string {
  if (own.root === undefined) return requested;
  const base = path.resolve(own.root);
  if (requested === base || requested.startsWith(base + path.sep)) return requested;
  throw new RootRefusedError(`the coordinator asked for ${requested}, outside this worker's root ${base} (its --root)`, { root: base });
}

/** The coordinator's tool policy with network access only where the worker's own flags allow it. */
export function narrowedPolicy(policy: ToolPolicy | undefined, own: WorkerLimits): ToolPolicy | undefined {
  if (own.network !== false || policy?.network !== true) return policy;
  return { ...policy, network: false };
}
