import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS } from './models.js';
import { costOf, DEFAULT_PRICES, priceFor } from './pricing.js';

describe('pricing', () => {
  it('prices each kind of token at its own rate, per million', () => {
    const price = { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 };
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 }, price)).toBe(3);
    expect(costOf({ inputTokens: 0, outputTokens: 2_000_000, cacheWriteTokens: 1_000_000, cacheReadTokens: 10_000_000 }, price)).toBeCloseTo(30 + 3.75 + 3);
  });

  it('has a price for every default model and matches dated variants by prefix', () => {
    for (const model of Object.values(DEFAULT_MODELS)) expect(DEFAULT_PRICES[model]).toBeDefined();
    expect(priceFor('claude-haiku-4-5-20251001')).toBe(DEFAULT_PRICES['claude-haiku-4-5']);
  });

  it('prices an unknown model like the dearest one, unless config names it', () => {
    const dearest = Math.max(...Object.values(DEFAULT_PRICES).map((p) => p.output));
    expect(priceFor('local-llama').output).toBe(dearest);
    const free = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
    expect(priceFor('local-llama', { ...DEFAULT_PRICES, 'local-llama': free })).toBe(free);
  });
});
