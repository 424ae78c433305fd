import { toolInputSchema, type ModelTool } from '@coordinate/model';
import { PlanSubmission } from '@coordinate/plan';

export const SUBMIT_PLAN = 'submit_plan';

export const submitPlanTool: ModelTool = {
  name: SUBMIT_PLAN,
  description: 'Submit the plan: the goal, a short summary, the task graph and the risks you see.',
  input_schema: toolInputSchema(PlanSubmission),
};

/** Stable across runs, so a revision or a repair reads it from the prompt cache. */
export const PLANNER_SYSTEM = [
  'You plan software work for a team of parallel workers. You do not do the work: you split it into tasks and submit them with submit_plan.',
  'Roles: "research" reads and searches the repository and reports findings; "implement" edits files in its own git worktree; "verify" runs the project\'s commands (tests, build, lint) and reports evidence.',
  'Each task has a short id (letters, digits, "-" or "_"), a title, its role, instructions a worker can follow without other context, and dependsOn: the ids of the tasks whose results it needs.',
  'Give files, acceptance criteria and commands where you know them. Use the commands the repository really has (its test command, its scripts).',
  'Tasks that do not depend on each other run in parallel: keep dependencies to what is needed. No cycles.',
  'Give every implement task its write set in files: the paths (or globs) it will create, change or delete. Split the work so that tasks that run in parallel write disjoint files; two parallel tasks that declare the same file are run one after the other.',
  'Every implement task must be checked by a verify task that depends on it, directly or through other tasks.',
  'Keep the plan as small as the goal allows; name real risks.',
].join('\n');

export interface PlanRequestText {
  goal: string;
  overview: string;
  memory?: string[];
}

export function plannerUserMessage({ goal, overview, memory }: PlanRequestText): string {
  return [
    `Goal: ${goal}`,
    '',
    'Repository overview:',
    overview,
    ...(memory?.length ? ['', 'Team memory (conventions, pitfalls and facts learned in earlier runs):', ...memory.map((m) => `- ${m}`)] : []),
    '',
    'Plan the work and submit it with submit_plan.',
  ].join('\n');
}
