import { CoordinateError } from '@coordinate/protocol';

export type MemoryErrorCode =
  | 'corrupt_database'
  | 'unsupported_schema'
  | 'no_memory'
  | 'not_found'
  | 'invalid_input'
  | 'invalid_import'
  | 'locked'
  | 'secret_in_proposal';

/** Every failure of the team memory store, told apart by `code`. */
export class MemoryError extends CoordinateError {
  declare readonly code: MemoryErrorCode;
  constructor(code: MemoryErrorCode, message: string, data?: unknown, options?: { cause?: unknown }) {
    super(code, message, data, options);
  }
}
