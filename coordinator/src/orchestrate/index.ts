export { executeRun, type ExecuteRunResult } from './execute-run.js';
export type { ExecuteRunOptions, RunBudgets, SharedModelSettings } from './options.js';
export { buildRunReport, type ReportInput } from './build-report.js';
export type { BudgetStop } from './budget-guard.js';
export { ExecuteOptionsError, MergeConflictError, UnverifiedEvidenceError, RunBudgetError } from './errors.js';
export { combineRounds, type CombinedRun, type Round } from './journal-rounds.js';
export { conflictRef } from './task-workspace.js';
export { judgeEvidence } from './verdict.js';
