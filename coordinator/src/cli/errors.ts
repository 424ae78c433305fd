import { CoordinateError } from '@coordinate/protocol';

/** A command line that cannot be carried out as written: a missing argument, an unknown run. */
export class UsageError extends CoordinateError {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super('usage', message, hint === undefined ? undefined : { hint });
  }
}

/** The person quit at approval: nothing ran. With `planFile`, the plan as they left it is kept there. */
export class PlanRejectedError extends CoordinateError {
  constructor(planFile?: string) {
    super(
      'plan_rejected',
      'the plan was not approved; nothing ran',
      planFile === undefined ? undefined : { planFile, hint: `the plan is kept in ${planFile}; run it as it is with: coordinate run ${planFile}` },
    );
  }
}

/** A budget would be passed before the run could start (the planner's request alone may cost more). */
export class BudgetExhaustedError extends CoordinateError {
  constructor(
    readonly budget: 'maxCostUsd' | 'maxTokens',
    reason: string,
  ) {
    super('budget_exhausted', reason, { budget });
  }
}
