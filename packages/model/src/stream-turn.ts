import Anthropic from '@anthropic-ai/sdk';
import { StreamBrokenError } from './errors.js';

export type TurnRequest = Omit<Anthropic.MessageCreateParamsStreaming, 'stream'>;

export interface ToolCall {
  id: string;
  name: string;
  /** The parsed input; undefined when the model sent JSON that does not parse. */
  input: Record<string, unknown> | undefined;
  /** Why the input could not be used, for the model to read. */
  inputError?: string;
}

export interface TurnAnswer {
  /** The assistant message as it goes back into the conversation. */
  content: Anthropic.ContentBlockParam[];
  text: string;
  toolCalls: ToolCall[];
  stopReason: Anthropic.StopReason | null;
  usage: Pick<Anthropic.Usage, 'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'>;
}

type Building = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; json: string } | { type: 'other' };

function parseToolInput(json: string): Pick<ToolCall, 'input' | 'inputError'> {
  if (json.trim() === '') return { input: {} };
  try {
    const value: unknown = JSON.parse(json);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return { input: value as Record<string, unknown> };
    return { input: undefined, inputError: 'the tool input must be a JSON object' };
  } catch (error) {
    return { input: undefined, inputError: `the tool input is not valid JSON (${(error as Error).message})` };
  }
}

/**
 * One streamed model turn, assembled from the raw events. The SDK's own assembler throws on
 * malformed tool-input JSON and so loses the whole turn; assembling here turns that into a tool
 * error the model can correct. A stream that ends, breaks or stalls before `message_stop` throws
 * `StreamBrokenError` so the caller retries it.
 */
export async function streamTurn(
  client: Anthropic,
  request: TurnRequest,
  options: { signal?: AbortSignal; idleTimeoutMs?: number } = {},
): Promise<TurnAnswer> {
  const { signal, idleTimeoutMs = 120_000 } = options;
  const stream = await client.messages.create({ ...request, stream: true }, signal ? { signal } : {});
  const blocks: Building[] = [];
  let usage: TurnAnswer['usage'] = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: null, cache_read_input_tokens: null };
  let stopReason: Anthropic.StopReason | null = null;
  let finished = false;
  let stalled = false;
  let idle: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      stalled = true;
      stream.controller.abort();
    }, idleTimeoutMs);
  };

  try {
    armIdle();
    for await (const event of stream) {
      armIdle();
      switch (event.type) {
        case 'message_start':
          usage = { ...usage, ...event.message.usage };
          break;
        case 'content_block_start': {
          const block = event.content_block;
          blocks[event.index] =
            block.type === 'text' ? { type: 'text', text: block.text } : block.type === 'tool_use' ? { type: 'tool_use', id: block.id, name: block.name, json: '' } : { type: 'other' };
          break;
        }
        case 'content_block_delta': {
          const block = blocks[event.index];
          if (event.delta.type === 'text_delta' && block?.type === 'text') block.text += event.delta.text;
          if (event.delta.type === 'input_json_delta' && block?.type === 'tool_use') block.json += event.delta.partial_json;
          break;
        }
        case 'message_delta':
          stopReason = event.delta.stop_reason;
          usage = { ...usage, output_tokens: event.usage.output_tokens };
          for (const key of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
            const value = event.usage[key];
            if (value !== null && value !== undefined) usage = { ...usage, [key]: value };
          }
          break;
        case 'message_stop':
          finished = true;
          break;
      }
    }
  } catch (error) {
    if (error instanceof Anthropic.APIError && error.status !== undefined) throw error;
    if (signal?.aborted) throw new Anthropic.APIUserAbortError();
    throw new StreamBrokenError(stalled ? `no event for ${idleTimeoutMs} ms` : error instanceof Error ? error.message : String(error), { cause: error });
  } finally {
    clearTimeout(idle);
  }
  if (signal?.aborted) throw new Anthropic.APIUserAbortError();
  if (stalled) throw new StreamBrokenError(`no event for ${idleTimeoutMs} ms`);
  if (!finished) throw new StreamBrokenError('the stream ended before message_stop');
  return assemble(blocks, stopReason, usage);
}

function assemble(blocks: Building[], stopReason: Anthropic.StopReason | null, usage: TurnAnswer['usage']): TurnAnswer {
  const content: Anthropic.ContentBlockParam[] = [];
  const toolCalls: ToolCall[] = [];
  const texts: string[] = [];
  for (const block of blocks) {
    if (block?.type === 'text' && block.text !== '') {
      content.push({ type: 'text', text: block.text });
      texts.push(block.text);
    } else if (block?.type === 'tool_use') {
      const parsed = parseToolInput(block.json);
      // The conversation must hold an object here even when the model's JSON was broken.
      content.push({ type: 'tool_use', id: block.id, name: block.name, input: parsed.input ?? {} });
      toolCalls.push({ id: block.id, name: block.name, ...parsed });
    }
  }
  return { content, text: texts.join('\n'), toolCalls, stopReason, usage };
}
