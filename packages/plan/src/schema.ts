import { z } from 'zod';
import { TaskSpec } from '@coordinate/protocol';

/** The input of the planner's `submit_plan` tool, and the content of plan.json. */
export const Plan = z.object({
  goal: z.string().min(1).max(2000),
  summary: z.string().max(20_000),
  tasks: z.array(TaskSpec).min(1).max(500),
  risks: z.array(z.string().max(2000)).max(50).optional(),
});
export type Plan = z.infer<typeof Plan>;
