import { CoordinateError } from '@coordinate/protocol';

export class PlanningError extends CoordinateError {
  constructor(code: 'plan_invalid' | 'planner_request_failed', message: string, data?: unknown, options?: { cause?: unknown }) {
    super(code, message, data, options);
  }
}
