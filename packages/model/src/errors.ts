import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

defineError('missing_api_key', z.unknown(), { retryable: false, exit: 'usage' });
defineError('invalid_model_option', z.unknown(), { retryable: false, exit: 'usage' });

export class ModelConfigError extends CoordinateError {
  constructor(code: 'missing_api_key' | 'invalid_model_option', message: string, data?: unknown) {
    super(code, message, data);
  }
}

/** A stream that broke before `message_stop` (cut connection, stall, garbled event): worth a retry. */
export class StreamBrokenError extends defineError('stream_broken', z.undefined(), { retryable: true, exit: 'taskFailed' }) {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, undefined, options);
  }
}
