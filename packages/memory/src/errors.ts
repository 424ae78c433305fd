import { CoordinateError } from '@coordinate/protocol';

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

  /** The exit code a command ends with: 1 when another process held the memory too long (try again), 2 for bad input or state. */
  get exit(): 1 | 2 {
    return this.code === 'busy' || this.code === 'locked' ? 1 : 2;
  }
}
