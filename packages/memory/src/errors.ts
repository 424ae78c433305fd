import { CoordinateError, type ExitCategory } from '@coordinate/protocol';

export type MemoryErrorCode =
  | 'corrupt_database'
  | 'unsupported_schema'
  | 'no_memory'
  | 'not_found'
  | 'invalid_input'
  | 'invalid_import'
  | 'locked'
  | 'busy'
  | 'secret_in_proposal';

/** Every failure of the team memory store, told apart by `code`. */
export class MemoryError extends CoordinateError {
  declare readonly code: MemoryErrorCode;
  constructor(code: MemoryErrorCode, message: string, data?: unknown, options?: { cause?: unknown }) {
    super(code, message, data, options);
  }

  /** Another process holding the memory too long is a failure to try again (exit 1); anything else is bad input or state (exit 2). */
  override get exit(): ExitCategory {
    return this.code === 'busy' || this.code === 'locked' ? 'taskFailed' : 'usage';
  }
}
