import { z } from 'zod';

/** Codes carried by `error` frames and by every typed error that crosses a process boundary. */
export const ErrorCode = z.enum([
  'frame_too_large',
  'invalid_json',
  'unknown_type',
  'invalid_message',
  'unsupported_version',
  'unauthorized',
  'not_found',
  'forbidden',
  'stale_attempt',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The `{code, message, data}` shape an error has when it travels as data. */
export const ErrorData = z.object({
  code: z.string().max(64),
  message: z.string().max(4096),
  data: z.unknown().optional(),
  /** False when another attempt would only repeat this ending (a verdict, no verdict, no progress). */
  retryable: z.boolean().optional(),
});
export type ErrorData = z.infer<typeof ErrorData>;

/**
 * The base of every error coordinate raises on purpose. Callers branch on `instanceof` or `code`,
 * never on the message; `toData` is how an error crosses a process boundary.
 */
export class CoordinateError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly data?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  toData(): ErrorData {
    return { code: this.code, message: this.message, ...(this.data === undefined ? {} : { data: this.data }) };
  }
}

export class ProtocolError extends CoordinateError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
