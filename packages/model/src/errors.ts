import { CoordinateError } from '@coordinate/protocol';

export class ModelConfigError extends CoordinateError {
  constructor(code: 'missing_api_key' | 'invalid_model_option', message: string, data?: unknown) {
    super(code, message, data);
  }
}

/** A stream that broke before `message_stop` (cut connection, stall, garbled event): worth a retry. */
export class StreamBrokenError extends CoordinateError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('stream_broken', message, undefined, options);
  }
}

/**
 * The model API could not be reached at `url` (nothing listening, a name that does not resolve, a
 * connection that timed out, or retries spent on connection errors). Resumable once it is back.
 */
export class ModelApiUnavailableError extends CoordinateError {
  constructor(
    readonly url: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super('model_api_unavailable', `the model API at ${url} cannot be reached: ${reason}`, { url }, options);
  }
}
