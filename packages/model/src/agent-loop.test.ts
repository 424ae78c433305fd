import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedactor } from '@coordinate/logging';
import { errorPolicy, type ProgressEvent } from '@coordinate/protocol';
import { completeTask, text, toolUse, turn, type Scenario, type Turn } from '@coordinate/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgentLoop, type AgentLoopOptions } from './agent-loop.js';
import { lastToolResults, recordedRetries, scripted } from './scripted.test-helper.js';
import type { ExecuteTool } from './tool-calls.js';
import { TranscriptWriter } from './transcript.js';

const USER = 'Task id: t1\nTitle: Try the loop';
const readTool = { name: 'read_file', description: 'Read a file', input_schema: { type: 'object' as const, properties: { path: { type: 'string' } } } };
const echo: ExecuteTool = async (name, input) => ({ content: `${name} ran with ${JSON.stringify(input)}`, isError: false });
const done = turn(completeTask({ status: 'succeeded', summary: 'all done' }));

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function loop(turns: Turn[], options: Partial<AgentLoopOptions> = {}, faults?: Parameters<typeof scripted>[1], apiKey?: string) {
  const scenario: Scenario = { tasks: { t1: turns } };
  const { server, client } = await scripted(scenario, faults, apiKey);
  const events: ProgressEvent[] = [];
  const { retry, delays } = recordedRetries();
  const outcome = await runAgentLoop({
    client,
    model: 'claude-sonnet-5-5',
    system: 'You are a worker.',
    tools: [readTool],
    executeTool: echo,
    userPrompt: USER,
    maxTurns: 10,
    retry,
    onProgress: (event) => events.push(event),
    ...options,
  });
  return { outcome, events, server, delays };
}

describe('runAgentLoop', () => {
  it('runs tools until the model calls complete_task, streaming progress and counting usage', async () => {
    const { outcome, events, server } = await loop([turn(text('Reading.'), toolUse('read_file', { path: 'a.txt' })), done]);
    expect(outcome).toMatchObject({ outcome: 'succeeded', ending: 'completed', summary: 'all done', turns: 2 });
    expect(outcome.usage.requests).toBe(2);
    expect(outcome.usage.outputTokens).toBeGreaterThan(0);
    expect(outcome.usage.costUsd).toBeGreaterThan(0);
    expect(events.map((e) => e.kind)).toEqual(['turn', 'tool_call', 'tool_result', 'turn', 'tool_result']);
    expect(events[0]).toMatchObject({ kind: 'turn', turn: 1, text: 'Reading.' });
    expect(lastToolResults(server.requests[1]!.body)[0]?.content).toBe('read_file ran with {"path":"a.txt"}');
  });

  it('runs the tool calls of one turn concurrently', async () => {
    let started = 0;
    let release!: () => void;
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    const waitForAll: ExecuteTool = async () => {
      if (++started === 3) release();
      const timedOut = await Promise.race([allStarted.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5_000).unref())]);
      return timedOut ? { content: 'ran alone', isError: true } : { content: 'ran together', isError: false };
    };
    const calls = ['a', 'b', 'c'].map((path) => toolUse('read_file', { path }));
    const { outcome, server } = await loop([turn(...calls), done], { executeTool: waitForAll });
    expect(outcome.outcome).toBe('succeeded');
    expect(lastToolResults(server.requests[1]!.body).map((r) => r.content)).toEqual(['ran together', 'ran together', 'ran together']);
  });

  it('answers a tool that throws with an is_error result and goes on', async () => {
    const failing: ExecuteTool = async () => {
      throw new Error('disk on fire');
    };
    const { outcome, server, events } = await loop([turn(toolUse('read_file', { path: 'a' })), done], { executeTool: failing });
    expect(outcome.outcome).toBe('succeeded');
    expect(lastToolResults(server.requests[1]!.body)[0]).toMatchObject({ is_error: true, content: 'Tool read_file failed: disk on fire' });
    expect(events).toContainEqual(expect.objectContaining({ kind: 'tool_result', ok: false }));
  });

  it('reports a denied tool call as a denial the model can read', async () => {
    const denying: ExecuteTool = async () => ({ content: 'write_file is not allowed for research tasks', isError: true, denied: true });
    const { server, events } = await loop([turn(toolUse('write_file', { path: 'x', content: 'y' })), done], { executeTool: denying });
    expect(events).toContainEqual({ kind: 'denied', tool: 'write_file', reason: 'write_file is not allowed for research tasks' });
    expect(lastToolResults(server.requests[1]!.body)[0]).toMatchObject({ is_error: true });
  });

  it('answers malformed tool input with an is_error result instead of crashing', async () => {
    let ran = 0;
    const counting: ExecuteTool = async () => ({ content: `run ${++ran}`, isError: false });
    const { outcome, server } = await loop([turn(toolUse('read_file', { path: 'a' })), done], { executeTool: counting }, { sequence: [{ kind: 'bad_tool_json' }] });
    expect(outcome.outcome).toBe('succeeded');
    expect(ran).toBe(0);
    expect(lastToolResults(server.requests[1]!.body)[0]).toMatchObject({ is_error: true });
    expect(String(lastToolResults(server.requests[1]!.body)[0]?.content)).toMatch(/not valid JSON/);
  });

  it('rejects an invalid complete_task and lets the model try again', async () => {
    const { outcome, server } = await loop([turn(toolUse('complete_task', { status: 'maybe' })), turn(completeTask({ status: 'failed', summary: 'could not' }))]);
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'completed', summary: 'could not' });
    expect(lastToolResults(server.requests[1]!.body)[0]).toMatchObject({ is_error: true });
    expect(String(lastToolResults(server.requests[1]!.body)[0]?.content)).toMatch(/status/);
  });

  it('keeps the evidence of a verification', async () => {
    const evidence = [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }];
    const { outcome } = await loop([turn(completeTask({ status: 'succeeded', summary: 'tests pass', evidence }))]);
    expect(outcome.evidence).toEqual(evidence);
  });

  it('fails at the turn limit, naming it, when the model keeps working without calling complete_task', async () => {
    const working = Array.from({ length: 5 }, (_, i) => turn(toolUse('read_file', { path: `f${i}.txt` })));
    const { outcome, server } = await loop(working, { maxTurns: 3 });
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'turn_limit', turns: 3, error: { code: 'turn_limit' } });
    expect(outcome.summary).toContain('maxTurns = 3');
    expect(server.requests).toHaveLength(3);
  });

  it('reminds a model that answers without a tool once, then forces complete_task, then fails "ended without a verdict" after 3 requests, not retryable', async () => {
    const chatter = Array.from({ length: 5 }, () => turn(text('I could not do it, stopping.')));
    const { outcome, server } = await loop(chatter, { maxTurns: 50 });
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'no_verdict', turns: 3, error: { code: 'no_verdict' } });
    expect(errorPolicy('no_verdict').retryable).toBe(false);
    expect(outcome.summary).toContain('ended without a verdict');
    expect(server.requests).toHaveLength(3);
    const bodies = server.requests.map((r) => r.body as { tool_choice?: unknown; messages: { content: unknown }[] });
    expect(bodies.map((b) => b.tool_choice)).toEqual([undefined, undefined, { type: 'tool', name: 'complete_task' }]);
    expect(JSON.stringify(bodies[1]!.messages.at(-1)?.content)).toContain('complete_task');
  });

  it('ends with the verdict the forced request gives', async () => {
    const { outcome, server } = await loop([turn(text('hmm')), turn(text('still thinking')), turn(completeTask({ status: 'failed', summary: 'gave up' }))]);
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'completed', summary: 'gave up' });
    expect((server.requests[2]!.body as { tool_choice?: unknown }).tool_choice).toEqual({ type: 'tool', name: 'complete_task' });
  });

  it('forgives a text-only answer once the model works with its tools again', async () => {
    const { outcome, server } = await loop([turn(text('hmm')), turn(toolUse('read_file', { path: 'a' })), turn(text('hmm')), done]);
    expect(outcome).toMatchObject({ outcome: 'succeeded', ending: 'completed' });
    expect(server.requests.every((r) => (r.body as { tool_choice?: unknown }).tool_choice === undefined)).toBe(true);
  });

  it('stops with "no progress" when the last 3 turns made the same calls and got the same results, not retryable', async () => {
    const same = Array.from({ length: 10 }, () => turn(toolUse('read_file', { path: 'a.txt' })));
    const { outcome, server } = await loop(same, { maxTurns: 50 });
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'no_progress', turns: 3, error: { code: 'no_progress' } });
    expect(errorPolicy('no_progress').retryable).toBe(false);
    expect(server.requests).toHaveLength(3);
  });

  it('sends a rejected verdict back with the correction in the same conversation, and ends with the corrected one', async () => {
    const sloppy = turn(completeTask({ status: 'succeeded', summary: 'tests pass', evidence: [{ command: 'npm test', exitCode: 0, excerpt: '...' }] }));
    const honest = turn(completeTask({ status: 'succeeded', summary: 'tests pass', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }] }));
    const reviewed: number[] = [];
    const reviewCompletion = async (completion: { evidence?: { excerpt: string }[] }, left: number) => {
      reviewed.push(left);
      return completion.evidence?.[0]?.excerpt === '...' ? 'the excerpt quotes nothing' : undefined;
    };
    const { outcome, server, events } = await loop([sloppy, honest], { reviewCompletion, maxCorrections: 2 });
    expect(outcome).toMatchObject({ outcome: 'succeeded', ending: 'completed', turns: 2 });
    expect(lastToolResults(server.requests[1]!.body)[0]).toMatchObject({ content: 'the excerpt quotes nothing', is_error: true });
    expect(reviewed).toEqual([1, 0]);
    expect(events.filter((e) => e.kind === 'log')).toEqual([{ kind: 'log', message: 'complete_task was sent back for correction (1 more allowed)' }]);
  });

  it('answers malformed evidence (wrong types, huge excerpts, 10 000 items) with a short tool error naming the field', async () => {
    const wrongTypes = Array.from({ length: 10_000 }, () => ({ command: 7, exitCode: 'zero', excerpt: null }));
    const huge = [{ command: 'npm test', exitCode: 0, excerpt: 'x'.repeat(200_000) }];
    const { outcome, server } = await loop([
      turn(completeTask({ status: 'succeeded', summary: 'ok', evidence: wrongTypes as never })),
      turn(completeTask({ status: 'succeeded', summary: 'ok', evidence: huge })),
      done,
    ]);
    expect(outcome).toMatchObject({ outcome: 'succeeded', summary: 'all done' });
    for (const request of server.requests.slice(1, 3)) {
      const [result] = lastToolResults(request.body);
      expect(result).toMatchObject({ is_error: true });
      expect(String(result!.content)).toMatch(/^complete_task was not accepted: `evidence(\[0\]\.excerpt)?`: must have at most \d+ (items|characters) \(it has (10000|200000)\)/);
      expect(String(result!.content).length).toBeLessThan(2000);
    }
  });

  it('ends with the verdict as given once the corrections are used up', async () => {
    const sloppy = turn(completeTask({ status: 'succeeded', summary: 'tests pass', evidence: [{ command: 'npm test', exitCode: 0, excerpt: '...' }] }));
    const { outcome, server } = await loop([sloppy, sloppy, sloppy], { reviewCompletion: async () => 'no', maxCorrections: 1 });
    expect(outcome).toMatchObject({ outcome: 'succeeded', ending: 'completed', turns: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('stops before a request that could pass the token budget', async () => {
    const many = Array.from({ length: 10 }, (_, i) => turn(toolUse('read_file', { path: `f${i}` })));
    const { outcome, server } = await loop(many, { maxOutputTokens: 100, budget: { maxTokens: 1_500 } });
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'budget', error: { code: 'budget_exceeded' } });
    expect(outcome.summary).toContain('maxTokens = 1500');
    const total = outcome.usage.inputTokens + outcome.usage.outputTokens + outcome.usage.cacheReadTokens + outcome.usage.cacheWriteTokens;
    expect(total).toBeLessThanOrEqual(1_500);
    expect(server.requests.length).toBe(outcome.usage.requests);
  });

  it('sends no request at all when even the first could pass the cost budget', async () => {
    const { outcome, server } = await loop([done], { maxOutputTokens: 8_000, budget: { maxCostUsd: 0.0001 } });
    expect(outcome).toMatchObject({ ending: 'budget', turns: 0 });
    expect(outcome.summary).toContain('maxCostUsd');
    expect(server.requests).toHaveLength(0);
  });

  it('retries a cut stream and records the retry', async () => {
    const { outcome, events } = await loop([turn(toolUse('read_file', { path: 'a' })), done], {}, { sequence: [{ kind: 'cut_stream' }] });
    expect(outcome.outcome).toBe('succeeded');
    expect(outcome.retries).toHaveLength(1);
    expect(outcome.retries[0]?.cause).toContain('broken stream');
    expect(events).toContainEqual(expect.objectContaining({ kind: 'retry', attempt: 2 }));
  });

  it('completes a 12-turn loop while 20% of requests fail with 429 or 529', async () => {
    const turns = [...Array.from({ length: 11 }, (_, i) => turn(toolUse('read_file', { path: `f${i}` }))), done];
    const faults = { seed: 7, rate: 0.2, kinds: [{ kind: 'rate_limit' as const, retryAfterS: 1 }, { kind: 'overloaded' as const }] };
    const { outcome, server, delays } = await loop(turns, { maxTurns: 12 }, faults);
    expect(outcome).toMatchObject({ outcome: 'succeeded', turns: 12 });
    const faulted = server.requests.filter((r) => r.fault).length;
    expect(faulted).toBeGreaterThan(0);
    expect(outcome.retries).toHaveLength(faulted);
    expect(new Set(outcome.retries.map((r) => r.cause))).toEqual(new Set(server.requests.filter((r) => r.fault).map((r) => (r.fault === 'rate_limit' ? 'rate limited (429)' : 'overloaded (529)'))));
    expect(delays).toHaveLength(faulted);
  });

  it('reads most input from the prompt cache over a 20-turn loop, and none with caching off', async () => {
    const turns = [...Array.from({ length: 19 }, (_, i) => turn(toolUse('read_file', { path: `f${i}` }))), done];
    const system = `You are a worker.\n${'Rules of the role. '.repeat(200)}`;
    const share = (u: { inputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }) => u.cacheReadTokens / (u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens);
    const cached = await loop(turns, { maxTurns: 20, system });
    expect(cached.outcome.turns).toBe(20);
    expect(share(cached.outcome.usage)).toBeGreaterThan(0.7);
    const uncached = await loop(turns, { maxTurns: 20, system, cache: false });
    expect(uncached.outcome.usage.cacheReadTokens).toBe(0);
    expect(uncached.outcome.usage.costUsd).toBeGreaterThan(cached.outcome.usage.costUsd);
  });

  it('writes every request and response to the transcript without the canary secret', async () => {
    const canary = 'sk-canary-0123456789abcdef';
    const dir = await mkdtemp(join(tmpdir(), 'coordinate-transcript-'));
    dirs.push(dir);
    const transcript = new TranscriptWriter(join(dir, 'transcripts', 't1.jsonl'), createRedactor([canary]));
    const leaky: ExecuteTool = async () => ({ content: `HOME=/root\nANTHROPIC_API_KEY=${canary}`, isError: false });
    const events: ProgressEvent[] = [];
    const { outcome } = await loop(
      [turn(toolUse('read_file', { path: '.env' })), turn(text('ok')), done],
      { executeTool: leaky, transcript, redactor: createRedactor([canary]), onProgress: (e) => events.push(e) },
      undefined,
      canary,
    );
    await transcript.close();
    expect(outcome.outcome).toBe('succeeded');
    const raw = await readFile(join(dir, 'transcripts', 't1.jsonl'), 'utf8');
    expect(raw).not.toContain(canary);
    const lines = raw.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; body: { messages?: unknown[] } });
    expect(lines.map((l) => l.kind)).toEqual(['request', 'response', 'request', 'response', 'request', 'response']);
    expect(JSON.stringify(lines[2]!.body.messages)).toContain('ANTHROPIC_API_KEY=[REDACTED]');
    expect(JSON.stringify(events)).not.toContain(canary);
    expect(JSON.stringify(events)).toContain('[REDACTED]');
  });

  it('stops with an aborted outcome when its signal fires', async () => {
    const controller = new AbortController();
    const abortingTool: ExecuteTool = async () => {
      controller.abort('cancelled by the coordinator');
      return { content: 'ok', isError: false };
    };
    const { outcome } = await loop([turn(toolUse('read_file', { path: 'a' })), done], { executeTool: abortingTool, signal: controller.signal });
    expect(outcome).toMatchObject({ outcome: 'failed', ending: 'aborted', error: { code: 'aborted' } });
    expect(outcome.summary).toContain('cancelled by the coordinator');
  });
});
