import { formatZodError } from '@coordinate/protocol';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFaultPicker, FaultPlan, type FaultKind } from './faults.js';
import { PromptCache } from './prompt-cache.js';
import { CountTokensRequest, MessagesRequest } from './request.js';
import { buildMessage, writeApiError, writeJson, writeStream, type AnswerMessage } from './respond.js';
import { Scenario } from './scenario.js';
import { answerFor, type Route } from './script.js';

export interface ScriptedServerOptions {
  scenario: Scenario;
  faults?: FaultPlan;
  /** 0 (the default) picks a free port. */
  port?: number;
}

/** One request as the server saw it. Credential headers are reduced to "[present]". */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
  status: number;
  /** When the request arrived (epoch ms), for measuring what led up to it. */
  at: number;
  route?: Route;
  taskId?: string;
  turnIndex?: number;
  fault?: FaultKind['kind'];
  /** The model and the usage an answered request was billed for, as the answer reported them. */
  model?: string;
  usage?: AnswerMessage['usage'];
}

export interface ScriptedServer {
  /** http://127.0.0.1:PORT, to pass as the SDK's baseURL. */
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const SECRET_HEADERS = new Set(['x-api-key', 'authorization']);

class BadRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`request body exceeds ${MAX_BODY_BYTES} bytes`);
    parts.push(part);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw new BadRequest('request body is not valid JSON');
  }
}

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new BadRequest(formatZodError(parsed.error));
}

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = SECRET_HEADERS.has(name) ? '[present]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A Messages-API server on 127.0.0.1 that answers from a scenario, for tests that drive the real SDK. */
export async function startScriptedServer(options: ScriptedServerOptions): Promise<ScriptedServer> {
  const scenario = Scenario.parse(options.scenario);
  const nextFault = createFaultPicker(FaultPlan.parse(options.faults ?? {}));
  const cache = new PromptCache();
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();

  async function handleMessages(body: unknown, record: RecordedRequest, res: ServerResponse): Promise<void> {
    const request = parseOrThrow(MessagesRequest, body);
    const answer = answerFor(scenario, request);
    Object.assign(record, { route: answer.route, turnIndex: answer.turnIndex }, answer.taskId === undefined ? {} : { taskId: answer.taskId });
    const fault = nextFault();
    if (fault) record.fault = fault.kind;
    switch (fault?.kind) {
      case 'rate_limit':
        record.status = 429;
        return writeApiError(res, 429, 'rate_limit_error', 'scripted rate limit', { 'retry-after': String(fault.retryAfterS) });
      case 'overloaded':
        record.status = 529;
        return writeApiError(res, 529, 'overloaded_error', 'scripted overload');
      case 'server_error':
        record.status = 500;
        return writeApiError(res, 500, 'api_error', 'scripted internal error');
      case 'slow':
        await sleep(fault.ms, undefined, { signal: closing.signal });
        break;
    }
    if (answer.turn.delayMs) await sleep(answer.turn.delayMs, undefined, { signal: closing.signal });
    const message = buildMessage(answer.turn, request.model, cache.measure(request));
    record.status = 200;
    record.model = request.model;
    record.usage = message.usage;
    if (!request.stream) {
      if (fault?.kind === 'cut_stream') return void res.destroy();
      return writeJson(res, 200, message);
    }
    const streamFault = fault?.kind === 'cut_stream' || fault?.kind === 'bad_tool_json' ? fault.kind : undefined;
    await writeStream(res, message, streamFault);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: recordedHeaders(req), body: undefined, status: 0, at: Date.now() };
    requests.push(record);
    try {
      if (req.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
        record.status = 404;
        return writeApiError(res, 404, 'not_found_error', `the scripted server has no ${req.method} ${path}`);
      }
      record.body = await readJson(req);
      if (path === '/v1/messages') return await handleMessages(record.body, record, res);
      const request = parseOrThrow(CountTokensRequest, record.body);
      record.status = 200;
      return writeJson(res, 200, { input_tokens: cache.count(request) });
    } catch (error) {
      if (closing.signal.aborted || res.destroyed) return;
      if (error instanceof BadRequest) {
        record.status = 400;
        return writeApiError(res, 400, 'invalid_request_error', error.message);
      }
      record.status = 500;
      writeApiError(res, 500, 'api_error', error instanceof Error ? error.message : String(error));
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
