import type Anthropic from '@anthropic-ai/sdk';
import { startScriptedServer, type FaultPlan, type Scenario, type ScriptedServer } from '@coordinate/testkit';
import { afterEach } from 'vitest';
import { createModelClient } from './client.js';
import type { RetryOptions } from './retry.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A scripted server for this test (closed after it) and a real SDK client pointed at it. */
export async function scripted(scenario: Scenario, faults?: FaultPlan, apiKey = 'test-key'): Promise<{ server: ScriptedServer; client: Anthropic }> {
  const server = await startScriptedServer({ scenario, ...(faults ? { faults } : {}) });
  servers.push(server);
  return { server, client: createModelClient({ apiKey, baseURL: server.url, timeoutMs: 5_000 }) };
}

/** Retries that record each delay instead of waiting it out. */
export function recordedRetries(): { delays: number[]; retry: Pick<RetryOptions, 'sleep' | 'maxRetries'> } {
  const delays: number[] = [];
  return { delays, retry: { maxRetries: 5, sleep: async (ms) => void delays.push(ms) } };
}

/** The tool_result blocks the loop sent in a recorded request's last message. */
export function lastToolResults(body: unknown): { content: unknown; is_error?: boolean }[] {
  const messages = (body as { messages: { content: unknown }[] }).messages;
  const content = messages.at(-1)?.content;
  return Array.isArray(content) ? content.filter((b: { type?: string }) => b.type === 'tool_result') : [];
}
