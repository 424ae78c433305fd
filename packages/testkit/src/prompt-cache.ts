import { createHash } from 'node:crypto';
import type { CountTokensRequest } from './request.js';

/** Tokens as the scripted server counts them: about four characters each. */
export const tokensOf = (chars: number): number => Math.round(chars / 4);

interface PromptBlock {
  json: string;
  breakpoint: boolean;
}

export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** The request's prompt in the order the API caches it (tools, then system, then messages), one entry per block. */
function promptBlocks(request: CountTokensRequest): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  const add = (value: unknown) => {
    if (typeof value === 'string') {
      blocks.push({ json: JSON.stringify(value), breakpoint: false });
      return;
    }
    const { cache_control, ...rest } = value as Record<string, unknown>;
    blocks.push({ json: JSON.stringify(rest), breakpoint: cache_control !== undefined && cache_control !== null });
  };
  for (const tool of request.tools ?? []) add(tool);
  if (typeof request.system === 'string') add(request.system);
  else for (const block of request.system ?? []) add(block);
  for (const message of request.messages) {
    if (typeof message.content === 'string') add(`${message.role}:${message.content}`);
    else for (const block of message.content) add({ role: message.role, ...block });
  }
  return blocks;
}

/**
 * Prompt-cache accounting like the API's: a cache entry is written at each `cache_control`
 * breakpoint, and a later request reads the longest prefix that an earlier one wrote. Prefixes are
 * identified by a running hash, so moving a breakpoint never changes what a prefix is.
 */
export class PromptCache {
  private readonly written = new Set<string>();

  count(request: CountTokensRequest): number {
    return Math.max(1, tokensOf(promptBlocks(request).reduce((sum, block) => sum + block.json.length, 0)));
  }

  measure(request: CountTokensRequest): InputUsage {
    const blocks = promptBlocks(request);
    const hashes: string[] = [];
    const ends: number[] = [];
    let hash = request.model;
    let chars = 0;
    for (const block of blocks) {
      hash = createHash('sha256').update(hash).update('\0').update(block.json).digest('hex');
      chars += block.json.length;
      hashes.push(hash);
      ends.push(chars);
    }
    const total = Math.max(1, tokensOf(chars));
    const lastBreakpoint = blocks.map((b) => b.breakpoint).lastIndexOf(true);
    if (lastBreakpoint < 0) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

    let readChars = 0;
    for (let i = lastBreakpoint; i >= 0; i--) {
      if (this.written.has(hashes[i]!)) {
        readChars = ends[i]!;
        break;
      }
    }
    blocks.forEach((block, i) => block.breakpoint && this.written.add(hashes[i]!));
    const read = tokensOf(readChars);
    const write = tokensOf(ends[lastBreakpoint]!) - read;
    return { input_tokens: Math.max(0, total - read - write), cache_creation_input_tokens: write, cache_read_input_tokens: read };
  }
}
