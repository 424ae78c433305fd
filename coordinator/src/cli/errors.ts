import { z } from 'zod';
import { defineError } from '@coordinate/protocol';

const Usage = defineError('usage', z.object({ hint: z.string() }).optional(), { retryable: false, exit: 'usage' });

/** A command line that cannot be carried out as written: a missing argument, an unknown run. */
export class UsageError extends Usage {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message, hint === undefined ? undefined : { hint });
  }
}

/** The person quit at approval: nothing ran. `planFile` is where the plan as they left it is kept. */
export class PlanRejectedError extends defineError('plan_rejected', z.object({ planFile: z.string(), hint: z.string() }).optional(), { retryable: false, exit: 'planRejected' }) {
  constructor(planFile?: string) {
    super(
      'the plan was not approved; nothing ran',
      planFile === undefined ? undefined : { planFile, hint: `the plan is kept in ${planFile}; run it as it is with: coordinate run ${planFile}` },
    );
  }
}
