import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { createFaultPicker, type FaultPlan } from './faults.js';
import { completeTask, submitPlan, text, toolUse, turn, type Scenario } from './scenario.js';
import { startScriptedServer, type ScriptedServer } from './server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(scenario: Scenario, faults?: FaultPlan) {
  server = await startScriptedServer({ scenario, ...(faults ? { faults } : {}) });
  return new Anthropic({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0, timeout: 5_000 });
}

const taskScenario: Scenario = {
  tasks: {
    't-1': [
      turn(text('Reading the file.'), toolUse('read_file', { path: 'src/math.js', limit: 20 })),
      turn(completeTask({ status: 'succeeded', summary: 'done' })),
    ],
  },
};

const ask = (content = 'Task id: t-1\nTitle: Read', extra: Anthropic.MessageParam[] = []) => ({
  model: 'claude-sonnet-5-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content }, ...extra],
});

describe('scripted Messages API through the real SDK', () => {
  it('answers a task conversation with its scripted text and tool call, without streaming', async () => {
    const client = await start(taskScenario);
    const message = await client.messages.create(ask());
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Reading the file.' });
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: 'read_file', input: { path: 'src/math.js', limit: 20 } });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(server!.requests[0]).toMatchObject({ route: 'task', taskId: 't-1', turnIndex: 0, status: 200 });
    expect(JSON.stringify(server!.requests)).not.toContain('test-key');
  });

  it('streams the event sequence the SDK assembles into the same message', async () => {
    const client = await start(taskScenario);
    const stream = client.messages.stream(ask());
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content[1]).toMatchObject({ type: 'tool_use', name: 'read_file', input: { path: 'src/math.js', limit: 20 } });
    expect(message.stop_reason).toBe('tool_use');
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(2);
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(2);
  });

  it('picks the next scripted turn from the number of assistant messages in the history', async () => {
    const client = await start(taskScenario);
    const first = await client.messages.create(ask());
    const toolCall = first.content.find((b) => b.type === 'tool_use')!;
    const second = await client.messages.create(
      ask(undefined, [
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolCall.id, content: 'file text' }] },
      ]),
    );
    expect(second.content[0]).toMatchObject({ type: 'tool_use', name: 'complete_task', input: { status: 'succeeded' } });
    const third = await client.messages.create(
      ask(undefined, [
        { role: 'assistant', content: first.content },
        { role: 'user', content: 'go on' },
        { role: 'assistant', content: second.content },
        { role: 'user', content: 'go on' },
      ]),
    );
    expect(third.stop_reason).toBe('end_turn');
    expect(third.content[0]?.type).toBe('text');
  });

  it('routes a request offering submit_plan to the planner script', async () => {
    const client = await start({ planner: [turn(submitPlan({ goal: 'g', summary: 's', tasks: [] }))], fallback: [turn(text('fallback'))] });
    const planned = await client.messages.create({
      ...ask('Plan this'),
      tools: [{ name: 'submit_plan', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'submit_plan' },
    });
    expect(planned.content[0]).toMatchObject({ type: 'tool_use', name: 'submit_plan', input: { goal: 'g' } });
    const other = await client.messages.create(ask('no task id here'));
    expect(other.content[0]).toMatchObject({ type: 'text', text: 'fallback' });
  });

  it('writes the cached prefix once and reads it on the next request', async () => {
    const client = await start({ fallback: [turn(text('a')), turn(text('b'))] });
    const system: Anthropic.TextBlockParam[] = [{ type: 'text', text: 'rules '.repeat(500), cache_control: { type: 'ephemeral' } }];
    const first = await client.messages.create({ ...ask('hello'), system });
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThan(500);
    expect(first.usage.cache_read_input_tokens).toBe(0);
    const second = await client.messages.create({ ...ask('hello again'), system });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    const uncached = await client.messages.create({ ...ask('hello'), system: 'rules '.repeat(500) });
    expect(uncached.usage.cache_read_input_tokens).toBe(0);
    expect(uncached.usage.input_tokens).toBeGreaterThan(500);
  });

  it('counts tokens of a prompt, more for a longer one', async () => {
    const client = await start({});
    const short = await client.messages.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'hi' }] });
    const long = await client.messages.countTokens({ model: 'claude-sonnet-5-5', messages: [{ role: 'user', content: 'hi '.repeat(400) }] });
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(250);
  });

  it('refuses a malformed request with a 400 that names the field', async () => {
    const client = await start({});
    const error = await client.messages.create({ model: 'm', max_tokens: 10, messages: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as Error).message).toContain('messages');
  });
});

describe('fault injection as the SDK sees it', () => {
  const failWith = async (faults: FaultPlan, stream = false) => {
    const client = await start(taskScenario, faults);
    return stream
      ? client.messages.stream(ask()).finalMessage().catch((e: unknown) => e)
      : client.messages.create(ask()).catch((e: unknown) => e);
  };

  it('answers 429 with a retry-after header', async () => {
    const error = await failWith({ sequence: [{ kind: 'rate_limit', retryAfterS: 7 }] });
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7');
  });

  it('answers 529 overloaded and 500 server errors', async () => {
    expect(await failWith({ sequence: [{ kind: 'overloaded' }] })).toMatchObject({ status: 529 });
    await server!.close();
    expect(await failWith({ sequence: [{ kind: 'server_error' }] })).toBeInstanceOf(Anthropic.InternalServerError);
  });

  it('delays a slow answer past the client timeout', async () => {
    server = await startScriptedServer({ scenario: taskScenario, faults: { sequence: [{ kind: 'slow', ms: 2_000 }] } });
    const client = new Anthropic({ baseURL: server.url, apiKey: 'k', maxRetries: 0, timeout: 100 });
    expect(await client.messages.create(ask()).catch((e: unknown) => e)).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it('cuts a stream in the middle of a content block', async () => {
    const client = await start(taskScenario, { sequence: [{ kind: 'cut_stream' }] });
    const stream = await client.messages.create({ ...ask(), stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(seen).toContain('content_block_start');
    expect(seen).not.toContain('message_stop');
  });

  it('streams tool input that is not valid JSON', async () => {
    const client = await start(taskScenario, { sequence: [{ kind: 'bad_tool_json' }] });
    const stream = await client.messages.create({ ...ask(), stream: true });
    let json = '';
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') json += event.delta.partial_json;
    }
    expect(json).toContain('src/math.js');
    expect(() => JSON.parse(json)).toThrow();
  });

  it('repeats the same faults for the same seed and injects about the asked share', () => {
    const plan: FaultPlan = { seed: 42, rate: 0.2 };
    const draw = (pick: ReturnType<typeof createFaultPicker>) => Array.from({ length: 500 }, () => pick()?.kind ?? '-');
    const a = draw(createFaultPicker(plan));
    expect(draw(createFaultPicker(plan))).toEqual(a);
    const faults = a.filter((k) => k !== '-').length;
    expect(faults).toBeGreaterThan(60);
    expect(faults).toBeLessThan(140);
  });
});
