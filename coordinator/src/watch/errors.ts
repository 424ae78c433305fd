import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// A second watcher and a damaged state file are the person's to settle (stop the first, delete the file): exit code 2.
defineError('watch_running', z.unknown(), { retryable: false, exit: 'usage' });
defineError('corrupt_watch_state', z.unknown(), { retryable: false, exit: 'usage' });
defineError('watch_start_failed', z.unknown(), { retryable: false, exit: 'taskFailed' });
defineError('github_api_failed', z.unknown(), { retryable: true, exit: 'taskFailed' });

export type WatchErrorCode = 'watch_running' | 'watch_start_failed' | 'github_api_failed' | 'corrupt_watch_state';

/** A watcher that cannot start, stop or read what it needs; `data` names the file, pid or URL. */
export class WatchError extends CoordinateError {
  declare readonly code: WatchErrorCode;
  constructor(code: WatchErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
