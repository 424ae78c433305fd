import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 3.
defineError('plan_invalid', z.unknown(), { retryable: false, exit: 'planRejected' });

export class PlanningError extends CoordinateError {
  constructor(code: 'plan_invalid' | 'planner_request_failed', message: string, data?: unknown, options?: { cause?: unknown }) {
    super(code, message, data, options);
  }
}
