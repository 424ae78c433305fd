import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('fixture_dir_not_empty', z.unknown(), { retryable: false, exit: 'usage' });

export class FixtureError extends CoordinateError {
  constructor(code: 'fixture_dir_not_empty', message: string, data?: unknown) {
    super(code, message, data);
  }
}

export class ScenarioError extends CoordinateError {
  constructor(code: 'scenario_unreadable' | 'scenario_invalid', message: string, data?: unknown) {
    super(code, message, data);
  }
}
