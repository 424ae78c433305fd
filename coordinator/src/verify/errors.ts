import { CoordinateError } from '@coordinate/protocol';

/** Fix-round planning was called with a round number or limit that cannot be right. */
export class FixRoundError extends CoordinateError {
  constructor(message: string, data?: unknown) {
    super('invalid_fix_round', message, data);
  }
}
