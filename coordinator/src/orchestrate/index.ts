export { executeRun, type ExecuteRunResult } from './execute-run.js';
export type { ExecuteRunOptions, RunBudgets, SharedModelSettings } from './options.js';
export { buildRunReport, type ReportInput } from './build-report.js';
export type { BudgetStop } from './budget-guard.js';
export { MergeConflictError, UnverifiedEvidenceError } from './errors.js';
export { conflictRef } from './task-workspace.js';
export { judgeEvidence } from './verdict.js';
