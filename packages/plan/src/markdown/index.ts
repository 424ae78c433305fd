export { renderPlanMarkdown, PLAN_MARKDOWN_HELP } from './render.js';
export { parsePlanMarkdown } from './parse.js';
export { PlanMarkdownError, type PlanMarkdownProblem } from './errors.js';
