export { approvePlan, draftFileOf, type ApprovePlanOptions, type ApprovalDecision } from './approve.js';
export { renderPlanGraph, formatEstimate, type PlanGraphOptions } from './plan-graph.js';
export { estimatePlanCost, ESTIMATE_ASSUMPTIONS, type PlanCostEstimate } from './estimate.js';
export { readCalibration } from './calibration.js';
export { editorFromEnv, openEditor, splitCommandLine } from './editor.js';
export { planDiff } from './plan-diff.js';
export { ApprovalError, EditorError } from './errors.js';
export { describeConfigInForce } from './config-in-force.js';
