import Anthropic from '@anthropic-ai/sdk';
import { toolUse, turn, type FaultKind, type Scenario } from '@coordinate/testkit';
import { describe, expect, it } from 'vitest';
import { ModelApiUnavailableError } from '@coordinate/protocol';
import { backoffDelay, retryCause, withRetries, type RetryEvent } from './retry.js';
import { recordedRetries, scripted } from './scripted.test-helper.js';
import { streamTurn } from './stream-turn.js';

const scenario: Scenario = { tasks: { t1: [turn(toolUse('read_file', { path: 'a.txt' }))] } };
const request = { model: 'claude-sonnet-5-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Task id: t1\nTitle: T' }] };

async function retriedOnce(fault: FaultKind, timeoutMs?: number) {
  const { server, client: defaultClient } = await scripted(scenario, { sequence: [fault] });
  const client = timeoutMs ? defaultClient.withOptions({ timeout: timeoutMs }) : defaultClient;
  const { delays, retry } = recordedRetries();
  const events: RetryEvent[] = [];
  const answer = await withRetries(() => streamTurn(client, request), { ...retry, onRetry: (e) => events.push(e) });
  return { answer, events, delays, server };
}

describe('withRetries through the real SDK', () => {
  it('waits as long as retry-after says after a 429', async () => {
    const { answer, events, delays } = await retriedOnce({ kind: 'rate_limit', retryAfterS: 3 });
    expect(answer.toolCalls[0]?.name).toBe('read_file');
    expect(events).toEqual([{ attempt: 2, cause: 'rate limited (429)', delayMs: 3000 }]);
    expect(delays).toEqual([3000]);
  });

  it.each([
    [{ kind: 'overloaded' } as const, 'overloaded (529)'],
    [{ kind: 'server_error' } as const, 'server error (500)'],
    [{ kind: 'cut_stream' } as const, 'broken stream'],
  ])('retries after %o and records the cause', async (fault, cause) => {
    const { answer, events, server } = await retriedOnce(fault);
    expect(answer.toolCalls[0]?.input).toEqual({ path: 'a.txt' });
    expect(events).toHaveLength(1);
    expect(events[0]?.cause).toContain(cause);
    expect(server.requests.map((r) => r.fault)).toEqual([fault.kind, undefined]);
  });

  it('retries a request that timed out', async () => {
    const { events } = await retriedOnce({ kind: 'slow', ms: 3_000 }, 150);
    expect(events.map((e) => e.cause)).toEqual(['timeout']);
  });

  it('gives up after maxRetries with the API unavailable, keeping the status', async () => {
    const { client, server } = await scripted(scenario, { rate: 1, kinds: [{ kind: 'overloaded' }] });
    const events: RetryEvent[] = [];
    const { retry } = recordedRetries();
    const failing = withRetries(() => streamTurn(client, request), { ...retry, maxRetries: 2, onRetry: (e) => events.push(e) });
    await expect(failing).rejects.toBeInstanceOf(ModelApiUnavailableError);
    await expect(failing).rejects.toMatchObject({ code: 'model_api_unavailable', exit: 'apiUnavailable', retryable: false, data: { status: 529 } });
    expect(events.map((e) => e.attempt)).toEqual([2, 3]);
    expect(server.requests).toHaveLength(3);
  });

  it('does not wait for a retry-after above the cap: the API counts as unavailable at once', async () => {
    const { client, server } = await scripted(scenario, { sequence: [{ kind: 'rate_limit', retryAfterS: 3600 }] });
    const { delays, retry } = recordedRetries();
    const failing = withRetries(() => streamTurn(client, request), { ...retry, maxRetryAfterMs: 60_000 });
    await expect(failing).rejects.toMatchObject({ code: 'model_api_unavailable', data: { status: 429, retryAfterMs: 3_600_000 } });
    await expect(failing).rejects.toThrow(/asked to wait 3600 s \(more than the 60 s cap\)/);
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a request the server refuses as invalid', async () => {
    const { client, server } = await scripted(scenario);
    const { retry } = recordedRetries();
    await expect(withRetries(() => streamTurn(client, { ...request, messages: [] }), retry)).rejects.toMatchObject({ status: 400 });
    expect(server.requests).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('grows exponentially, stays within half and all of its ceiling, and is capped', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffDelay(20, 100, 10_000, () => 1)).toBe(10_000);
  });

  it('treats an abort and an unknown error as final', () => {
    expect(retryCause(new Anthropic.APIUserAbortError())).toBeUndefined();
    expect(retryCause(new Error('boom'))).toBeUndefined();
  });
});
