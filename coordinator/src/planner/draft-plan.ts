import type { Plan } from '@coordinate/plan';
import { negotiatePlan, type PlannerOptions, type PlanningResult } from './plan-conversation.js';
import { plannerUserMessage } from './planner-prompt.js';

/** The first plan for a goal. */
export function draftPlan(options: PlannerOptions): Promise<PlanningResult> {
  return negotiatePlan(options, [{ role: 'user', content: plannerUserMessage(options) }]);
}

/**
 * A revision of `plan` following the person's feedback. The conversation shows the plan as the
 * model's own earlier submission and the feedback as the answer to it, so the model revises
 * rather than starts over.
 */
export function revisePlan(options: PlannerOptions & { plan: Plan; feedback: string }): Promise<PlanningResult> {
  const id = 'toolu_plan_under_review';
  return negotiatePlan(options, [
    { role: 'user', content: plannerUserMessage(options) },
    { role: 'assistant', content: [{ type: 'tool_use', id, name: 'submit_plan', input: options.plan }] },
    {
      role: 'user',
      content: [
        {
          type: 'tool_result',
          tool_use_id: id,
          content: `The person reviewed this plan and asks for changes:\n\n${options.feedback}\n\nSubmit the whole revised plan with submit_plan.`,
        },
      ],
    },
  ]);
}
