import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { InputUsage } from './prompt-cache.js';
import { tokensOf } from './prompt-cache.js';
import type { Turn } from './scenario.js';

type AnswerBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface AnswerMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: AnswerBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: InputUsage & { output_tokens: number };
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

export function buildMessage(turn: Turn, model: string, input: InputUsage): AnswerMessage {
  const content: AnswerBlock[] = turn.content.map((block) =>
    block.type === 'text' ? { type: 'text', text: block.text } : { type: 'tool_use', id: newId('toolu'), name: block.name, input: block.input },
  );
  const stopReason = turn.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const output = Math.max(1, tokensOf(JSON.stringify(content).length));
  return {
    id: newId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...input, output_tokens: output },
  };
}

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'request-id': newId('req'), ...headers });
  res.end(payload);
}

export function writeApiError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  writeJson(res, status, { type: 'error', error: { type, message } }, headers);
}

/** Splits a string into `parts` pieces, so a client must join deltas as it would with the real API. */
function chunks(value: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(value.length / parts));
  const out: string[] = [];
  for (let i = 0; i < value.length; i += size) out.push(value.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

export type StreamFault = 'cut_stream' | 'bad_tool_json';

/**
 * Streams the message with the event sequence the SDK parses: message_start, then for each block
 * content_block_start / deltas / content_block_stop, then message_delta and message_stop. The
 * answer is complete when it is sent, so the events go out in one write, as a fast model's would;
 * the client still has to join the deltas. `cut_stream` ends the connection after the first delta.
 */
export async function writeStream(res: ServerResponse, message: AnswerMessage, fault?: StreamFault): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': newId('req') });
  const events: string[] = [];
  let firstDelta: number | undefined;
  const send = (event: string, data: unknown) => {
    if (event === 'content_block_delta') firstDelta ??= events.length;
    events.push(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };

  const { content, usage, stop_reason, ...head } = message;
  send('message_start', {
    type: 'message_start',
    message: { ...head, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  send('ping', { type: 'ping' });

  let badJsonPending = fault === 'bad_tool_json';
  for (const [index, block] of content.entries()) {
    if (block.type === 'text') {
      send('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const piece of chunks(block.text, 3)) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
      }
    } else {
      send('content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} },
      });
      let json = JSON.stringify(block.input);
      if (badJsonPending) {
        json = `${json.slice(0, -1)}${json.length > 2 ? ',' : ''} oops}`;
        badJsonPending = false;
      }
      for (const piece of chunks(json, 3)) {
        send('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
    }
    send('content_block_stop', { type: 'content_block_stop', index });
  }
  send('message_delta', { type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage });
  send('message_stop', { type: 'message_stop' });

  const cutAfter = fault === 'cut_stream' ? firstDelta : undefined;
  if (cutAfter !== undefined) {
    await new Promise<void>((resolve) => res.write(events.slice(0, cutAfter + 1).join(''), () => resolve()));
    res.destroy();
    return;
  }
  await new Promise<void>((resolve) => res.end(events.join(''), () => resolve()));
}
