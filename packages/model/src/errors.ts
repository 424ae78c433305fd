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
