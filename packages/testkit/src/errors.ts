import { CoordinateError } from '@coordinate/protocol';

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
