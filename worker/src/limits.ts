import { z } from 'zod';
import { Role } from '@coordinate/protocol';

/**
 * What a worker allows itself, from its own flags. A coordinator's task settings can narrow these,
 * never widen them: a worker started by hand does not obey a coordinator it does not trust.
 */
export const WorkerLimits = z.strictObject({
  /** False only with the worker's own --no-sandbox: task commands then run unconfined. */
  sandbox: z.boolean(),
  /** The one folder tasks may work in (a worker started by hand: --root, default its cwd); a task root elsewhere is refused. */
  root: z.string().min(1).optional(),
  /** The roles it takes; a task of another role fails. */
  roles: z.array(Role).min(1).optional(),
  maxTurns: z.number().int().positive().max(10_000).optional(),
  /** The model it uses, whatever the coordinator asks for. */
  model: z.string().min(1).max(200).optional(),
  maxCostUsd: z.number().positive().optional(),
  /** Whether task commands may reach the network, should the coordinator's policy ask for it. Undefined: the policy decides (spawned workers). */
  network: z.boolean().optional(),
});
export type WorkerLimits = z.infer<typeof WorkerLimits>;

/** A spawned worker's limits: the coordinator that started it is the person's own process. */
export const SPAWNED_LIMITS: WorkerLimits = { sandbox: true };
