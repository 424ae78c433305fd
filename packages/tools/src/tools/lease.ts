import { ToolError } from '../errors.js';
import type { FileToolContext } from './context.js';

/** Holds the task's lease on a file before it is written; a file another running task holds is refused with the reason. */
export async function claimLease(ctx: FileToolContext, display: string): Promise<void> {
  const refusal = await ctx.lease?.(display);
  if (refusal !== undefined) throw new ToolError('lease_denied', refusal, { path: display });
}
