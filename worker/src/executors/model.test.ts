import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent, Role, TaskContext } from '@coordinate/protocol';
import { LocalScratchpad, taskScratchpad } from '@coordinate/scratchpad';
import { completeTask, startScriptedServer, text, toolUse, turn, type FaultPlan, type ScriptedServer, type Turn } from '@coordinate/testkit';
import type { TaskExecution } from '../executor.js';
import { createModelExecutor } from './model.js';

const API_KEY = 'sk-test-canary-key-5f1d2c3b4a';
const dirs: string[] = [];
const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-model-exec-'));
  dirs.push(dir);
  return dir;
}

interface Setup {
  role?: Role;
  settings?: Record<string, unknown>;
  budget?: TaskContext['budget'];
  faults?: FaultPlan;
  env?: NodeJS.ProcessEnv;
}

/** A scripted model for task `job`, a task root with one file, and the execution the worker would build. */
async function prepare(turns: Turn[], setup: Setup = {}) {
  const server = await startScriptedServer({ scenario: { tasks: { job: turns } }, ...(setup.faults ? { faults: setup.faults } : {}) });
  servers.push(server);
  const base = await tempDir();
  const root = join(base, 'root');
  const scratchpadDir = join(base, 'scratchpad');
  await mkdir(root);
  await mkdir(scratchpadDir);
  await writeFile(join(root, 'notes.txt'), 'the answer is 42\n');
  const transcriptFile = join(base, 'transcripts', 'job.jsonl');
  const events: ProgressEvent[] = [];
  const execution: TaskExecution = {
    task: { id: 'job', title: 'Find the answer', role: setup.role ?? 'research', instructions: 'Read notes.txt.', dependsOn: [] },
    attempt: 1,
    limits: { sandbox: true },
    context: {
      runId: 'r1',
      root,
      scratchpadDir,
      dependencies: [],
      memory: [],
      budget: setup.budget ?? { maxTurns: 10 },
      settings: { model: { model: 'claude-sonnet-5-5', transcriptFile, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...setup.settings } },
    },
    signal: new AbortController().signal,
    progress: (event) => events.push(event),
    takeNotes: () => [],
    reserve: async () => undefined,
    scratchpad: taskScratchpad(new LocalScratchpad(scratchpadDir), 'job'),
    memory: { search: async () => [], propose: async () => undefined },
    logger: pino({ level: 'silent' }),
  };
  const env = setup.env ?? { PATH: process.env.PATH, ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: server.url };
  return { server, root, base, transcriptFile, events, execution, run: () => createModelExecutor({ env })(execution) };
}

describe('the model executor', () => {
  it('runs the task through the model with its tools, streaming progress and counting usage', async () => {
    const { run, events, server } = await prepare([
      turn(text('Reading the notes.'), toolUse('read_file', { path: 'notes.txt' })),
      turn(completeTask({ status: 'succeeded', summary: 'The answer is 42.', details: 'from notes.txt' })),
    ]);
    const result = await run();
    expect(result).toMatchObject({ outcome: 'succeeded', summary: 'The answer is 42.', details: 'from notes.txt', commandsRun: [] });
    expect(result.usage.requests).toBe(2);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(result.error).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['turn', 'tool_call', 'tool_result', 'turn', 'tool_result']);
    expect(events[2]).toMatchObject({ kind: 'tool_result', tool: 'read_file', ok: true });
    // The model saw the file's content in the tool result of its second request.
    expect(JSON.stringify(server.requests.at(-1)!.body)).toContain('the answer is 42');
  });

  it('writes every request and response to the transcript, with the API key nowhere in it', async () => {
    const { run, transcriptFile } = await prepare([
      turn(toolUse('read_file', { path: 'notes.txt' })),
      turn(completeTask({ status: 'succeeded', summary: `I was given the key ${API_KEY}` })),
    ]);
    const result = await run();
    expect(result.summary).toBe('I was given the key [REDACTED]');
    const lines = (await readFile(transcriptFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { kind: string });
    expect(lines.map((l) => l.kind)).toEqual(['request', 'response', 'request', 'response']);
    expect(await readFile(transcriptFile, 'utf8')).not.toContain(API_KEY);
  });

  it('shows the model no secret a tool came across, and keeps none in scratchpad notes', async () => {
    const { run, root, server, execution } = await prepare([
      turn(toolUse('read_file', { path: 'leak.txt' })),
      turn(toolUse('scratchpad_write', { name: 'found.md', content: `key: ${API_KEY}` })),
      turn(completeTask({ status: 'succeeded', summary: 'noted' })),
    ]);
    await writeFile(join(root, 'leak.txt'), `ANTHROPIC_API_KEY=${API_KEY}\n`);
    await run();
    const toolResult = JSON.stringify((server.requests[1]!.body as { messages: unknown[] }).messages.at(-1));
    expect(toolResult).toContain('ANTHROPIC_API_KEY=[REDACTED]');
    expect(toolResult).not.toContain(API_KEY);
    expect(await readFile(join(execution.context.scratchpadDir!, 'job', 'found.md'), 'utf8')).toBe('key: [REDACTED]');
  });

  it('reports the commands a verification really ran next to the evidence it claims', async () => {
    const { run } = await prepare(
      [
        turn(toolUse('run_command', { command: 'node -e "console.log(6 * 7); process.exit(3)"' })),
        turn(completeTask({ status: 'failed', summary: 'exit 3', evidence: [{ command: 'node -e "…"', exitCode: 3, excerpt: '42' }] })),
      ],
      { role: 'verify' },
    );
    const result = await run();
    expect(result.outcome).toBe('failed');
    expect(result.evidence).toEqual([{ command: 'node -e "…"', exitCode: 3, excerpt: '42' }]);
    expect(result.commandsRun).toHaveLength(1);
    expect(result.commandsRun![0]).toMatchObject({ command: 'node -e "console.log(6 * 7); process.exit(3)"', exitCode: 3, excerpt: expect.stringContaining('42') });
  });

  it('sends a verification\'s unverifiable success back with what failed, and ends with the corrected verdict', async () => {
    const command = 'node -e "console.log(6 * 7)"';
    const claim = (excerpt: string) => turn(completeTask({ status: 'succeeded', summary: 'prints 42', evidence: [{ command, exitCode: 0, excerpt }] }));
    const { run, server } = await prepare([turn(toolUse('run_command', { command })), claim('…'), claim('exit code 0\n42')], {
      role: 'verify',
      settings: { verify: { requiredCommands: [command], corrections: 2 } },
    });
    const result = await run();
    expect(result).toMatchObject({ outcome: 'succeeded', evidence: [{ excerpt: 'exit code 0\n42' }] });
    expect(server.requests).toHaveLength(3);
    const correction = JSON.stringify((server.requests[2]!.body as { messages: unknown[] }).messages.at(-1));
    expect(correction).toContain('complete_task was not accepted');
    expect(correction).toContain('quotes nothing');
    // What is recorded is what the model was shown, exit-code line included.
    expect(result.commandsRun).toEqual([{ command, exitCode: 0, excerpt: 'exit code 0\n42\n' }]);
  });

  it('fails a task that never calls complete_task at the stricter of the two turn limits, saying so', async () => {
    const reading = (offset: number) => turn(toolUse('read_file', { path: 'notes.txt', offset }));
    const { run, server } = await prepare([1, 2, 3, 4, 5].map(reading), { budget: { maxTurns: 5 }, settings: { maxTurns: 3 } });
    const result = await run();
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatchObject({ code: 'turn_limit', message: expect.stringContaining('maxTurns = 3') });
    expect(server.requests).toHaveLength(3);
  });

  it('stops before a request that could pass the token budget', async () => {
    const { run, server } = await prepare([turn(completeTask({ status: 'succeeded', summary: 'done' }))], { budget: { maxTurns: 5, maxTokens: 500 } });
    const result = await run();
    expect(result).toMatchObject({ outcome: 'failed', error: { code: 'budget_exceeded' } });
    expect(server.requests).toHaveLength(0);
  });

  it('answers an edit outside the task root with a denial and leaves the file alone', async () => {
    const { run, events, base } = await prepare(
      [
        turn(toolUse('write_file', { path: '../outside.txt', content: 'escaped' })),
        turn(completeTask({ status: 'failed', summary: 'could not write there' })),
      ],
      { role: 'implement' },
    );
    await writeFile(join(base, 'outside.txt'), 'original');
    await run();
    expect(events.find((e) => e.kind === 'denied')).toMatchObject({ kind: 'denied', tool: 'write_file' });
    expect(await readFile(join(base, 'outside.txt'), 'utf8')).toBe('original');
  });

  it('retries transient model failures and still finishes the task', async () => {
    const { run, events } = await prepare([turn(completeTask({ status: 'succeeded', summary: 'done' }))], {
      faults: { sequence: [{ kind: 'overloaded' }, { kind: 'cut_stream' }] },
    });
    await expect(run()).resolves.toMatchObject({ outcome: 'succeeded', output: { retries: 2 } });
    expect(events.filter((e) => e.kind === 'retry')).toHaveLength(2);
  });

  it('fails with a clear error when no API key is set', async () => {
    const { execution } = await prepare([turn(completeTask({ status: 'succeeded', summary: 'done' }))]);
    await expect(createModelExecutor({ env: { PATH: process.env.PATH } })(execution)).rejects.toMatchObject({
      code: 'missing_api_key',
      message: expect.stringContaining('ANTHROPIC_API_KEY'),
    });
  });

  it('refuses settings it does not know, naming the field', async () => {
    const { run } = await prepare([], { settings: { maxTurns: 0 } });
    await expect(run()).rejects.toMatchObject({ code: 'invalid_settings', message: expect.stringContaining('settings.model.maxTurns') });
    const other = await prepare([], { settings: { temperature: 2 } });
    await expect(other.run()).rejects.toMatchObject({ code: 'invalid_settings' });
    await expect(access(other.transcriptFile)).rejects.toThrow();
  });
});
