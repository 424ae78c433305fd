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

/** The person quit at approval: nothing ran. */
export class PlanRejectedError extends CoordinateError {
  constructor() {
    super('plan_rejected', 'the plan was not approved; nothing ran');
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
