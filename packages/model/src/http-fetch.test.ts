import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelClient } from './client.js';
import { httpFetch } from './http-fetch.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handler(req, res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

describe('httpFetch', () => {
  it('sends the method, headers and body, and reads status, headers and body back over one kept-alive connection', async () => {
    const { url, connections } = await serve((req, res, body) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': String(req.headers['x-api-key']) });
      res.end(JSON.stringify({ method: req.method, body: JSON.parse(body) as unknown, length: req.headers['content-length'] }));
    });
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify({ i, text: 'héllo' });
      const response = await httpFetch(`${url}/v1/messages`, { method: 'post', headers: new Headers({ 'x-api-key': 'k1', 'content-type': 'application/json' }), body });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-echo')).toBe('k1');
      expect(response.headers.get('set-cookie')).toBe('a=1, b=2');
      expect(await response.json()).toEqual({ method: 'POST', body: { i, text: 'héllo' }, length: String(Buffer.byteLength(body)) });
    }
    expect(connections()).toBe(1);
  });

  it('gives a bodiless status a null body', async () => {
    const { url } = await serve((_req, res) => res.writeHead(204).end());
    const response = await httpFetch(url, { method: 'DELETE' });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('errors the body stream when the signal aborts while the body streams', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ping\ndata: {}\n\n');
    });
    const controller = new AbortController();
    const response = await httpFetch(url, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('ping');
    controller.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('errors the body stream when the server cuts the connection mid-body', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ping\ndata: {}\n\n', () => res.socket?.destroy());
    });
    const response = await httpFetch(url, { method: 'POST', body: '{}' });
    await expect(response.text()).rejects.toThrow();
  });

  it('reaches the model client as a connection error the retries know, when nothing listens', async () => {
    const { url } = await serve(() => undefined);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    const client = createModelClient({ apiKey: 'k', baseURL: url });
    const failure = await client.messages.create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('leaves a streamed request body to the built-in fetch', async () => {
    const { url } = await serve((_req, res, body) => res.end(body.toUpperCase()));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed'));
        controller.close();
      },
    });
    const response = await httpFetch(url, { method: 'POST', body, duplex: 'half' });
    expect(await response.text()).toBe('STREAMED');
  });
});
