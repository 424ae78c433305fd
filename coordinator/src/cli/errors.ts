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

/** The person quit at approval: nothing ran. */
export class PlanRejectedError extends defineError('plan_rejected', z.undefined(), { retryable: false, exit: 'planRejected' }) {
  constructor() {
    super('the plan was not approved; nothing ran', undefined);
  }
}
