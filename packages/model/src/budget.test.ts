import { describe, expect, it } from 'vitest';
import { emptyUsage } from '@coordinate/protocol';
import { estimateTokens, fitOutput, PromptSizeEstimate } from './budget.js';

describe('the size of the next prompt, for the budget check', () => {
  const messages = [
    { role: 'user', content: 'x'.repeat(400) },
    { role: 'assistant', content: 'y'.repeat(40) },
  ];

  it('is estimated from the text until the model has counted a prompt', () => {
    const size = new PromptSizeEstimate(1_000);
    expect(size.of(messages)).toBe(1_000 + estimateTokens(messages));
  });

  it('takes the model’s own count for what it has seen and estimates only the messages added since', () => {
    const size = new PromptSizeEstimate(1_000);
    size.counted({ input_tokens: 50, cache_creation_input_tokens: 2_000, cache_read_input_tokens: 3_000 }, 1);
    expect(size.of(messages)).toBe(5_050 + estimateTokens(messages.slice(1)));
  });

  it('keeps the estimate when a server reports no usage at all', () => {
    const size = new PromptSizeEstimate(1_000);
    size.counted({ input_tokens: 0 }, 1);
    expect(size.of(messages)).toBe(1_000 + estimateTokens(messages));
  });
});

describe('the output limit a budget leaves', () => {
  const price = { input: 1, output: 10, cacheWrite: 2, cacheRead: 0.1 };
  const limits = { wanted: 16_000, least: 4_000 };
  const spent = { ...emptyUsage(), inputTokens: 1_000, outputTokens: 1_000, costUsd: 0.01 };

  it('is all that is wanted when the budget has room', () => {
    expect(fitOutput({ maxCostUsd: 10, maxTokens: 1_000_000 }, spent, 2_000, price, limits)).toEqual({ maxOutputTokens: 16_000 });
  });

  it('is what the tighter budget leaves: input at the cache-write rate, output at the output rate', () => {
    // $0.10 − $0.01 spent − 2,000 × $2/M = $0.086 → 8,600 output tokens at $10/M
    expect(fitOutput({ maxCostUsd: 0.1 }, spent, 2_000, price, limits)).toEqual({ maxOutputTokens: 8_600 });
    expect(fitOutput({ maxCostUsd: 0.1, maxTokens: 10_000 }, spent, 2_000, price, limits)).toEqual({ maxOutputTokens: 6_000 });
  });

  it('is refused when the input alone passes the cost budget, even where output is free', () => {
    const fitted = fitOutput({ maxCostUsd: 0.012 }, spent, 2_000, { ...price, output: 0 }, limits);
    expect(fitted).toEqual({ refusal: { budget: 'maxCostUsd', reason: expect.stringContaining('maxCostUsd = $0.012') as unknown } });
    expect(fitOutput({ maxCostUsd: 0.02 }, spent, 2_000, { ...price, output: 0 }, limits)).toEqual({ maxOutputTokens: 16_000 });
  });

  it('is refused, naming the budget, when not even the least fits', () => {
    const fitted = fitOutput({ maxTokens: 7_000 }, spent, 2_000, price, limits);
    expect(fitted).toEqual({ refusal: { budget: 'maxTokens', reason: expect.stringContaining('maxTokens = 7000') as unknown } });
  });
});
