import { CoordinateError } from '@coordinate/protocol';

export type ScratchpadErrorCode = 'invalid_name' | 'outside' | 'not_found' | 'too_large';

export class ScratchpadError extends CoordinateError {
  declare readonly code: ScratchpadErrorCode;
  constructor(code: ScratchpadErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
