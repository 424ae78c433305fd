import { connect } from 'node:net';
import { createModelClient, ModelConfigError } from '@coordinate/model';
import { ModelApiUnavailableError } from '@coordinate/protocol';

/** Where requests go when ANTHROPIC_BASE_URL is not set: the SDK's own default. */
const DEFAULT_BASE_URL = 'https://api.anthropic.com';

export interface ModelEndpointCheck {
  env: NodeJS.ProcessEnv;
  /** How long the connection may take before the API counts as unreachable (default 3000 ms). */
  timeoutMs?: number;
}

/** Why a TCP connection failed, in words a person can act on. */
function describeConnectFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'the connection was refused (nothing is listening there)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the network cannot reach that host';
    default:
      return error.message;
  }
}

/**
 * The free part of reaching the model: an API key is set, the base URL is an http(s) URL, and a TCP
 * connection to it opens within the timeout. No request is sent, so nothing is spent.
 * Throws `ModelConfigError` (exit 2) for a missing key or a malformed URL and
 * `ModelApiUnavailableError` (exit 5) when nothing answers at the URL.
 */
export async function checkModelEndpoint(check: ModelEndpointCheck): Promise<void> {
  createModelClient({ env: check.env });
  const raw = check.env.ANTHROPIC_BASE_URL || DEFAULT_BASE_URL;
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ModelConfigError('invalid_model_option', `ANTHROPIC_BASE_URL "${raw}" is not an http or https URL: use a form such as http://127.0.0.1:8080`);
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const timeoutMs = check.timeoutMs ?? 3_000;
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setTimeout(timeoutMs);
    const fail = (reason: string) => {
      socket.destroy();
      reject(new ModelApiUnavailableError(`the model API at ${raw} cannot be reached: ${reason}`, {}));
    };
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
    socket.once('timeout', () => fail(`no connection within ${timeoutMs / 1000}s`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(describeConnectFailure(error)));
  });
}
