import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { Evidence } from '@coordinate/protocol';
import { toolInputSchema } from './tool-schema.js';

/** The input of `complete_task`, the only way a task ends on its own. */
export const CompleteTaskInput = z.object({
  status: z.enum(['succeeded', 'failed']),
  summary: z.string().min(1).max(20_000),
  details: z.string().max(100_000).optional(),
  evidence: z.array(Evidence).max(50).optional(),
});
export type CompleteTaskInput = z.infer<typeof CompleteTaskInput>;

export const COMPLETE_TASK = 'complete_task';

export const completeTaskTool: Anthropic.Tool = {
  name: COMPLETE_TASK,
  description:
    'Finish the task. status "succeeded" only when the acceptance criteria are met; summary says what was done or found; ' +
    'a verification must list in evidence each command it ran, its exit code and an excerpt of its output.',
  input_schema: toolInputSchema(CompleteTaskInput),
};
