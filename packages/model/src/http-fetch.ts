import { channel } from 'node:diagnostics_channel';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';

const TRANSPORTS: Record<string, { request: typeof http.request; agent: http.Agent }> = {
  'http:': { request: http.request, agent: new http.Agent({ keepAlive: true }) },
  'https:': { request: https.request, agent: new https.Agent({ keepAlive: true }) },
};

/**
 * Published with `{ method, url }` as each request is handed to the connection: the end of the
 * client's own work on it. Benchmarks subscribe; without a subscriber it costs nothing.
 */
export const REQUEST_CHANNEL = 'coordinate:model:request';
const requests = channel(REQUEST_CHANNEL);

/** Statuses a Response must have no body for. */
const NULL_BODY = new Set([204, 205, 304]);

function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * The `fetch` the model client sends its requests with: node:http(s) over keep-alive
 * connections. Node's own fetch (undici 6) pushes every request body through a web stream and an
 * async generator; on the model loop that took longer per request than the SDK and the worker
 * together. A request this cannot carry as it is (a streamed body, a Request object, another
 * scheme) goes to the built-in fetch. Redirects are not followed: the Messages API sends none.
 */
export const httpFetch: typeof fetch = async (input, init = {}) => {
  const { body } = init;
  const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : undefined;
  const transport = url && Object.hasOwn(TRANSPORTS, url.protocol) ? TRANSPORTS[url.protocol] : undefined;
  if (!url || !transport || !plainBody) return fetch(input, init);

  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));
  if (body !== undefined && body !== null) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
  const method = (init.method ?? 'GET').toUpperCase();

  if (requests.hasSubscribers) requests.publish({ method, url: url.href });
  return new Promise<Response>((resolve, reject) => {
    const request = transport.request(url, { method, headers, agent: transport.agent, ...(init.signal ? { signal: init.signal } : {}) }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 599) {
        response.destroy();
        reject(new TypeError(`the server answered with HTTP status ${status}`));
        return;
      }
      let stream: ReadableStream<Uint8Array> | null = null;
      if (NULL_BODY.has(status) || method === 'HEAD') {
        response.on('error', () => undefined).resume();
      } else {
        // A cut connection errors this stream; an abort errors it with the signal's reason, as fetch does.
        const { signal } = init;
        const onAbort = () => response.destroy((signal?.reason as Error | undefined) ?? new DOMException('This operation was aborted', 'AbortError'));
        signal?.addEventListener('abort', onAbort, { once: true });
        response.once('close', () => signal?.removeEventListener('abort', onAbort));
        stream = Readable.toWeb(response) as ReadableStream<Uint8Array>;
      }
      resolve(new Response(stream, { status, statusText: response.statusMessage ?? '', headers: responseHeaders(response.rawHeaders) }));
    });
    // Also after the response arrived: an abort or a cut connection must not become an unhandled error.
    request.on('error', reject);
    request.end(body ?? undefined);
  });
};
