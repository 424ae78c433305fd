import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { ModelApiUnavailableError } from '@coordinate/protocol';
import { StreamBrokenError } from './errors.js';

export interface RetryEvent {
  /** The attempt about to start (2 for the first retry). */
  attempt: number;
  cause: string;
  delayMs: number;
}

export interface RetryOptions {
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The longest `retry-after` obeyed (default 60 000 ms); a server asking for more counts as unavailable now. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
  /** How to wait; tests pass one that records the delay instead of waiting. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, signal ? { signal } : {});

/** Why a failed request is worth another try, or undefined when it is not (a 4xx, an abort). */
export function retryCause(error: unknown): string | undefined {
  if (error instanceof Anthropic.APIUserAbortError) return undefined;
  if (error instanceof Anthropic.APIConnectionTimeoutError) return 'timeout';
  if (error instanceof Anthropic.APIConnectionError) return 'connection error';
  if (error instanceof StreamBrokenError) return `broken stream: ${error.message}`;
  if (error instanceof Anthropic.APIError) {
    if (error.status === 429) return 'rate limited (429)';
    if (error.status === 529) return 'overloaded (529)';
    if (error.status === 408) return 'request timeout (408)';
    if (error.status !== undefined && error.status >= 500) return `server error (${error.status})`;
  }
  return undefined;
}

/**
 * The SDK's HTTP error with its declared field types: `instanceof` alone narrows to
 * `APIError<any, any, any>`, which would let an untyped status or header through.
 */
export function apiErrorOf(error: unknown): APIError | undefined {
  return error instanceof APIError ? (error as APIError) : undefined;
}

/** The wait a server asked for, from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  const headers = apiErrorOf(error)?.headers;
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter: between half and all of base·2^(retry-1), capped. */
export function backoffDelay(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const statusOf = (error: unknown) => {
  const status = apiErrorOf(error)?.status;
  return status === undefined ? {} : { status };
};

/**
 * Runs `fn` until it succeeds, retrying transient failures (429, 529, 5xx, timeouts, connection
 * errors, broken streams). A server's `retry-after` wins over the computed backoff, up to
 * `maxRetryAfterMs`. A failure that is not transient is thrown as is; a transient one that
 * outlasts the retries, or a `retry-after` above the cap, throws ModelApiUnavailableError, which
 * stops the run resumably instead of failing the task.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxRetries = 5, baseDelayMs = 500, maxDelayMs = 30_000, maxRetryAfterMs = 60_000, signal, onRetry, sleep = defaultSleep, random = Math.random } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const cause = retryCause(error);
      if (cause === undefined || signal?.aborted) throw error;
      if (attempt > maxRetries) {
        throw new ModelApiUnavailableError(`the model API is unavailable: ${cause} on ${attempt} tries`, statusOf(error), { cause: error });
      }
      const asked = retryAfterMs(error);
      if (asked !== undefined && asked > maxRetryAfterMs) {
        throw new ModelApiUnavailableError(
          `the model API is unavailable: ${cause}, and it asked to wait ${Math.round(asked / 1000)} s (more than the ${Math.round(maxRetryAfterMs / 1000)} s cap)`,
          { ...statusOf(error), retryAfterMs: asked },
          { cause: error },
        );
      }
      const delayMs = asked ?? backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      onRetry?.({ attempt: attempt + 1, cause, delayMs });
      await sleep(delayMs, signal);
    }
  }
}
