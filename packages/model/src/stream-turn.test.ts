import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text, toolUse, turn } from '@coordinate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createModelClient } from './client.js';
import { StreamBrokenError } from './errors.js';
import { scripted } from './scripted.test-helper.js';
import { streamTurn } from './stream-turn.js';

const request = { model: 'claude-sonnet-5-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Task id: t1\nTitle: T' }] };
const scenario = { tasks: { t1: [turn(text('Looking.'), toolUse('read_file', { path: 'src/a.ts' }), toolUse('list_files', { pattern: '**/*.ts' }))] } };

let stalling: Server | undefined;
afterEach(async () => {
  stalling?.closeAllConnections();
  await new Promise((resolve) => (stalling ? stalling.close(resolve) : resolve(undefined)));
  stalling = undefined;
});

describe('streamTurn', () => {
  it('assembles streamed text, tool calls and usage', async () => {
    const { client } = await scripted(scenario);
    const answer = await streamTurn(client, request);
    expect(answer.text).toBe('Looking.');
    expect(answer.stopReason).toBe('tool_use');
    expect(answer.toolCalls.map((c) => [c.name, c.input])).toEqual([
      ['read_file', { path: 'src/a.ts' }],
      ['list_files', { pattern: '**/*.ts' }],
    ]);
    expect(answer.content).toHaveLength(3);
    expect(answer.usage.input_tokens).toBeGreaterThan(0);
    expect(answer.usage.output_tokens).toBeGreaterThan(0);
  });

  it('keeps the turn when a tool input is malformed JSON, marking that call', async () => {
    const { client } = await scripted(scenario, { sequence: [{ kind: 'bad_tool_json' }] });
    const answer = await streamTurn(client, request);
    expect(answer.toolCalls[0]).toMatchObject({ name: 'read_file', input: undefined });
    expect(answer.toolCalls[0]?.inputError).toMatch(/not valid JSON/);
    expect(answer.toolCalls[1]?.input).toEqual({ pattern: '**/*.ts' });
  });

  it('reports a cut stream as broken', async () => {
    const { client } = await scripted(scenario, { sequence: [{ kind: 'cut_stream' }] });
    await expect(streamTurn(client, request)).rejects.toBeInstanceOf(StreamBrokenError);
  });

  it('reports a stream that goes silent as broken once the idle timeout passes', async () => {
    // A server that starts a message and then never sends another byte, which the scripted server never does.
    stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const message = { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } };
      res.write(`event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message })}\n\n`);
    });
    await new Promise<void>((resolve) => stalling!.listen(0, '127.0.0.1', resolve));
    const client = createModelClient({ apiKey: 'k', baseURL: `http://127.0.0.1:${(stalling.address() as AddressInfo).port}` });
    const error = await streamTurn(client, request, { idleTimeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamBrokenError);
    expect((error as Error).message).toContain('no event for 100 ms');
  });
});
