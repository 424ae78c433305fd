export { repoOverview } from './repo-overview.js';
export { draftPlan, revisePlan } from './draft-plan.js';
export { checkPlanInput, type PlannerOptions, type PlanningResult } from './plan-conversation.js';
export { PlanningError } from './errors.js';
export { submitPlanTool, PLANNER_SYSTEM, SUBMIT_PLAN } from './planner-prompt.js';
