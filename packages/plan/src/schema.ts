import { z } from 'zod';
import { TaskId, TaskSpec } from '@coordinate/protocol';

/** The input of the planner's `submit_plan` tool: what the model may write. */
export const PlanSubmission = z.object({
  goal: z.string().min(1).max(2000),
  summary: z.string().max(20_000),
  tasks: z.array(TaskSpec).min(1).max(500),
  risks: z.array(z.string().max(2000)).max(50).optional(),
});
export type PlanSubmission = z.infer<typeof PlanSubmission>;

/**
 * A dependency added because two tasks that could run at the same time declared overlapping
 * write sets: `task` waits for `waitsFor` (which is also in its `dependsOn`), for `reason`.
 */
export const Serialization = z.object({
  task: TaskId,
  waitsFor: TaskId,
  reason: z.string().min(1).max(2000),
});
export type Serialization = z.infer<typeof Serialization>;

/** The content of plan.json: the submission plus the waits that serialization added. */
export const Plan = PlanSubmission.extend({
  serialized: z.array(Serialization).max(5000).optional(),
});
export type Plan = z.infer<typeof Plan>;
