import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('corrupt_journal', z.unknown(), { retryable: false, exit: 'usage' });
defineError('unsupported_journal_version', z.unknown(), { retryable: false, exit: 'usage' });

export type JournalErrorCode = 'invalid_event' | 'corrupt_journal' | 'unsupported_journal_version' | 'not_found' | 'closed' | 'write_failed';

export class JournalError extends CoordinateError {
  declare readonly code: JournalErrorCode;
  constructor(code: JournalErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
