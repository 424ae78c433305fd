import { z } from 'zod';
import { ExitCategory } from './outcome.js';

/** The `{code, message, data}` shape an error has when it travels as data (over the socket, into the journal). */
export const ErrorData = z.object({
  code: z.string().max(64),
  message: z.string().max(4096),
  data: z.unknown().optional(),
});
export type ErrorData = z.infer<typeof ErrorData>;

/**
 * What callers do with an error, read from its definition and never from its message:
 * `retryable` says whether the scheduler may hand the task out again, `exit` which exit code
 * ends the command (and, for `budgetExhausted` / `apiUnavailable` / `interrupted`, that the run
 * stops resumably instead of failing).
 */
export const ErrorPolicy = z.object({ retryable: z.boolean(), exit: ExitCategory });
export type ErrorPolicy = z.infer<typeof ErrorPolicy>;

/** The policy of a code nobody defined: a failure, not retried. */
const UNDEFINED_POLICY: ErrorPolicy = { retryable: false, exit: 'taskFailed' };

interface Definition {
  schema: z.ZodType;
  policy: ErrorPolicy;
  make(message: string, data: unknown): CoordinateError;
}

const registry = new Map<string, Definition>();

/** The policy of `code`, or not-retryable / taskFailed for a code that was never defined. */
export function errorPolicy(code: string): ErrorPolicy {
  return registry.get(code)?.policy ?? UNDEFINED_POLICY;
}

/**
 * The base of every error coordinate raises on purpose. Callers branch on `instanceof`, `code`,
 * `retryable` or `exit`, never on the message; `toData` is how an error crosses a process boundary
 * and {@link rebuildError} how it becomes a class again.
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

  /** Whether the task that ended with this error may be handed out again. */
  get retryable(): boolean {
    return errorPolicy(this.code).retryable;
  }

  /** The exit code category a command that ends with this error uses. */
  get exit(): ExitCategory {
    return errorPolicy(this.code).exit;
  }

  toData(): ErrorData {
    return { code: this.code, message: this.message, ...(this.data === undefined ? {} : { data: this.data }) };
  }
}

/** A class made by {@link defineError}: `new X(message, data)`, `X.code`, `X.is(error)`. */
export interface DefinedError<C extends string, D> {
  new (
    message: string,
    ...rest: undefined extends D ? [data?: D, options?: { cause?: unknown }] : [data: D, options?: { cause?: unknown }]
  ): CoordinateError & { readonly code: C; readonly data: D };
  readonly code: C;
  readonly policy: ErrorPolicy;
  is(error: unknown): error is CoordinateError & { readonly code: C; readonly data: D };
}

/**
 * Declares an error code once, with the schema of its `data` and its policy, and returns its
 * class. Every code is defined exactly once across the project (a second definition throws at
 * import time); errors with the code are rebuilt into this class when they arrive as data.
 */
export function defineError<const C extends string, S extends z.ZodType>(code: C, schema: S, policy: ErrorPolicy): DefinedError<C, z.output<S>> {
  if (registry.has(code)) throw new Error(`the error code "${code}" is defined twice`);
  const Defined = class extends CoordinateError {
    static readonly code = code;
    static readonly policy = policy;
    declare readonly code: C;
    declare readonly data: z.output<S>;
    constructor(message: string, data?: z.output<S>, options?: { cause?: unknown }) {
      super(code, message, data, options);
    }
    static is(error: unknown): error is CoordinateError & { readonly code: C; readonly data: z.output<S> } {
      return error instanceof CoordinateError && error.code === code;
    }
  };
  Object.defineProperty(Defined, 'name', { value: className(code) });
  registry.set(code, { schema, policy, make: (message, data) => new Defined(message, data as z.output<S>) });
  return Defined;
}

/** `budget_exceeded` → `BudgetExceededError`, the name a rebuilt error prints with. */
const className = (code: string) => `${code.replace(/(^|_)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase())}Error`;

/**
 * An error that arrived as data, as its class again. A defined code whose data fits its schema
 * becomes that class; anything else (an unknown code, data that does not fit) stays a plain
 * CoordinateError with the code kept, so its policy is still the code's.
 */
export function rebuildError(error: ErrorData): CoordinateError {
  const definition = registry.get(error.code);
  const parsed = definition?.schema.safeParse(error.data);
  if (definition && parsed?.success) return definition.make(error.message, parsed.data);
  return new CoordinateError(error.code, error.message, error.data);
}

/** An error as data, whatever was thrown: a CoordinateError keeps its code, anything else gets `fallbackCode`. */
export function errorToData(error: unknown, fallbackCode: string): ErrorData {
  if (error instanceof CoordinateError) return error.toData();
  return { code: fallbackCode, message: error instanceof Error ? error.message : String(error) };
}

/** Codes carried by `error` frames: what went wrong with a message on the socket. */
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

// `not_found` names a thing a person asked for (a run, a memory entry, a task) as often as a frame's target.
const USAGE_CODES = new Set<ErrorCode>(['not_found']);
for (const code of ErrorCode.options) {
  defineError(code, z.unknown(), { retryable: code === 'unavailable', exit: USAGE_CODES.has(code) ? 'usage' : 'taskFailed' });
}

export class ProtocolError extends CoordinateError {
  declare readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, data?: unknown) {
    super(code, message, data);
  }
}
