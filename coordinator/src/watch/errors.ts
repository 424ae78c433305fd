import { CoordinateError } from '@coordinate/protocol';

export type WatchErrorCode = 'watch_running' | 'watch_not_running' | 'watch_start_failed' | 'github_api_failed' | 'corrupt_watch_state';

/** A watcher that cannot start, stop or read what it needs; `data` names the file, pid or URL. */
export class WatchError extends CoordinateError {
  declare readonly code: WatchErrorCode;
  constructor(code: WatchErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
