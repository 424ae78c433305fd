import { describe, expect, it } from 'vitest';
import { estimateTokens, PromptSizeEstimate } from './budget.js';

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
