import type Anthropic from '@anthropic-ai/sdk';
import type { ModelPrice, PriceTable, Usage } from '@coordinate/protocol';


const opus: ModelPrice = { input: 5, output: 25, cacheWrite: 6.25, cacheRead: 0.5 };
const sonnet: ModelPrice = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
const haiku: ModelPrice = { input: 1, output: 5, cacheWrite: 1.25, cacheRead: 0.1 };

export const DEFAULT_PRICES: PriceTable = {
  'claude-opus-5-5': opus,
  'claude-opus-5': opus,
  'claude-opus-4-8': opus,
  'claude-opus-4-7': opus,
  'claude-opus-4-6': opus,
  'claude-sonnet-5-5': sonnet,
  'claude-sonnet-5': sonnet,
  'claude-sonnet-4-6': sonnet,
  'claude-haiku-5-5': haiku,
  'claude-haiku-4-5': haiku,
};

/**
 * The price of `model`: an exact entry, else the longest key it starts with. A model the table
 * does not know is priced like the table's most expensive one, so a cost budget errs on the safe
 * side; a local model that costs nothing gets an explicit zero entry in config.
 */
export function priceFor(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice {
  const exact = table[model];
  if (exact) return exact;
  const prefix = Object.keys(table)
    .filter((key) => model.startsWith(key))
    .sort((a, b) => b.length - a.length)[0];
  if (prefix) return table[prefix]!;
  const all = Object.values(table);
  if (all.length === 0) return { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  return all.reduce((a, b) => (b.output + b.input > a.output + a.input ? b : a));
}

export function costOf(usage: Pick<Usage, 'inputTokens' | 'outputTokens' | 'cacheWriteTokens' | 'cacheReadTokens'>, price: ModelPrice): number {
  return (
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheWriteTokens * price.cacheWrite +
      usage.cacheReadTokens * price.cacheRead) /
    1_000_000
  );
}

/** One response's usage as a `Usage` of one request, priced. */
export function usageOfResponse(usage: Pick<Anthropic.Usage, 'input_tokens' | 'output_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'>, price: ModelPrice): Usage {
  const counted = {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
  };
  return { ...counted, requests: 1, costUsd: costOf(counted, price) };
}
