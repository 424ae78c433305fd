import Anthropic from '@anthropic-ai/sdk';
import { ModelConfigError } from './errors.js';
import { httpFetch } from './http-fetch.js';

export interface ModelClientOptions {
  /** Wins over ANTHROPIC_API_KEY. */
  apiKey?: string;
  /** Wins over ANTHROPIC_BASE_URL; any server that speaks the Messages API. */
  baseURL?: string;
  /** Where the two variables are read from (default process.env). */
  env?: Record<string, string | undefined>;
  /** Time allowed until the response headers arrive, per attempt. */
  timeoutMs?: number;
  /** Kept at 0 by default: `withRetries` retries, so that every retry is counted and reported. */
  maxRetries?: number;
}

/**
 * The Messages API client. The key and base URL are passed explicitly, so nothing else in the
 * environment (another credential variable, a profile) decides where requests go.
 */
export function createModelClient(options: ModelClientOptions = {}): Anthropic {
  const env = options.env ?? process.env;
  const apiKey = options.apiKey ?? env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    throw new ModelConfigError(
      'missing_api_key',
      'No API key: set ANTHROPIC_API_KEY to your Anthropic API key (and ANTHROPIC_BASE_URL to use another server that speaks the Messages API).',
    );
  }
  const baseURL = options.baseURL ?? env.ANTHROPIC_BASE_URL;
  if (baseURL !== undefined && baseURL !== '' && !URL.canParse(baseURL)) {
    throw new ModelConfigError('invalid_model_option', `ANTHROPIC_BASE_URL "${baseURL}" is not a URL: use a form such as http://127.0.0.1:8080`);
  }
  return new Anthropic({
    apiKey,
    ...(baseURL ? { baseURL } : {}),
    maxRetries: options.maxRetries ?? 0,
    // Nothing here installs an OpenTelemetry SDK, so spans could never be recorded; left on, the
    // SDK still builds their attributes for every request.
    openTelemetry: false,
    fetch: httpFetch,
    ...(options.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
  });
}

/** The SDK types callers need, so they depend on this package rather than on the SDK. */
export type ModelClient = Anthropic;
export type ModelTool = Anthropic.Tool;
export type ModelMessage = Anthropic.MessageParam;
