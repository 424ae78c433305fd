import { CoordinateError } from '@coordinate/protocol';

export type JournalErrorCode = 'invalid_event' | 'corrupt_journal' | 'not_found' | 'closed' | 'write_failed';

export class JournalError extends CoordinateError {
  declare readonly code: JournalErrorCode;
  constructor(code: JournalErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
