import type Anthropic from '@anthropic-ai/sdk';

const EPHEMERAL = { type: 'ephemeral' } as const;

export interface PromptParts {
  system: string;
  tools: Anthropic.Tool[];
  messages: Anthropic.MessageParam[];
}

export interface CachedPromptParts {
  system: Anthropic.TextBlockParam[];
  tools: Anthropic.Tool[];
  messages: Anthropic.MessageParam[];
}

function markLastBlock(message: Anthropic.MessageParam): Anthropic.MessageParam {
  if (typeof message.content === 'string') {
    return { ...message, content: [{ type: 'text', text: message.content, cache_control: EPHEMERAL }] };
  }
  const blocks = [...message.content];
  const last = blocks.at(-1);
  if (last) blocks[blocks.length - 1] = { ...last, cache_control: EPHEMERAL } as Anthropic.ContentBlockParam;
  return { ...message, content: blocks } as Anthropic.MessageParam;
}

/**
 * The request's prompt with cache breakpoints: on the last tool and the system prompt (the stable
 * prefix, shared by every turn of every task of a role) and on the last message, so each turn
 * reads the conversation so far from the cache and writes only what is new. The breakpoints go on
 * copies; the conversation itself never carries them, which keeps them at three (the API allows four).
 */
export function withCacheBreakpoints(parts: PromptParts, cache: boolean): CachedPromptParts {
  if (!cache) return { system: [{ type: 'text', text: parts.system }], tools: parts.tools, messages: parts.messages };
  const tools = parts.tools.map((tool, i) => (i === parts.tools.length - 1 ? { ...tool, cache_control: EPHEMERAL } : tool));
  const messages = parts.messages.map((message, i) => (i === parts.messages.length - 1 ? markLastBlock(message) : message));
  return { system: [{ type: 'text', text: parts.system, cache_control: EPHEMERAL }], tools, messages };
}
