import { text, turn } from '@coordinate/testkit';
import { describe, expect, it } from 'vitest';
import { createModelClient } from './client.js';
import { ModelConfigError } from './errors.js';
import { scripted } from './scripted.test-helper.js';

describe('createModelClient', () => {
  it('refuses to start without a key, naming both variables', () => {
    const attempt = () => createModelClient({ env: {} });
    expect(attempt).toThrow(ModelConfigError);
    expect(attempt).toThrow(/ANTHROPIC_API_KEY/);
    expect(attempt).toThrow(/ANTHROPIC_BASE_URL/);
    try {
      attempt();
    } catch (error) {
      expect((error as ModelConfigError).code).toBe('missing_api_key');
    }
  });

  it('reaches the server named by ANTHROPIC_BASE_URL with the key from ANTHROPIC_API_KEY', async () => {
    const { server } = await scripted({ fallback: [turn(text('hello'))] });
    const client = createModelClient({ env: { ANTHROPIC_API_KEY: 'env-key', ANTHROPIC_BASE_URL: server.url } });
    const message = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'hello' });
    expect(server.requests).toHaveLength(1);
  });

  it('names a base URL that is not a URL', () => {
    expect(() => createModelClient({ env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'not a url' } })).toThrow(/not a URL/);
  });
});
