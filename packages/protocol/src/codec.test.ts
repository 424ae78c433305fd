import { describe, expect, it } from 'vitest';
import {
  decodeCoordinatorMessage,
  decodeWorkerMessage,
  emptyUsage,
  encode,
  MAX_FRAME_BYTES,
  type CoordinatorMessage,
  type Outgoing,
  type TaskSpec,
  type WorkerMessage,
} from './index.js';

const task: TaskSpec = { id: 'impl-1', title: 'Add limiter', role: 'implement', instructions: 'do it', dependsOn: [] };
const context = { runId: 'r1', dependencies: [], memory: [], budget: { maxTurns: 10 } };

const validWorker: Outgoing<WorkerMessage>[] = [
  { type: 'hello', pid: 1, version: '0.1.0', roles: ['research'], sharedFs: true },
  { type: 'task.accepted', taskId: 't1', attempt: 1 },
  { type: 'task.progress', taskId: 't1', attempt: 1, event: { kind: 'tool_call', tool: 'read_file', input: '{}' } },
  { type: 'task.result', taskId: 't1', attempt: 1, result: { outcome: 'succeeded', summary: 'ok', usage: emptyUsage() } },
  { type: 'memory.search', query: 'rate limit' },
  { type: 'memory.propose', kind: 'pitfall', text: 'never edit generated code' },
  { type: 'scratchpad.read', name: 't1/notes.md' },
  { type: 'scratchpad.write', taskId: 't1', name: 'notes.md', content: 'hi' },
  { type: 'budget.reserve', taskId: 't1', attempt: 1, tokens: 9000, costUsd: 0.04 },
  { type: 'heartbeat', active: [] },
  { type: 'error', error: { code: 'internal', message: 'x' } },
];

const invalidWorker: Record<WorkerMessage['type'], Record<string, unknown>> = {
  hello: { pid: 'one', version: '1', roles: ['research'], sharedFs: true },
  'task.accepted': { taskId: '../x', attempt: 1 },
  'task.progress': { taskId: 't1', attempt: 1, event: { kind: 'nope' } },
  'task.result': { taskId: 't1', attempt: 0, result: { outcome: 'succeeded', summary: 'ok', usage: emptyUsage() } },
  'memory.search': { query: 42 },
  'memory.propose': { kind: 'rumour', text: 'x' },
  'scratchpad.read': {},
  'scratchpad.write': { taskId: 't1', name: '', content: 'x' },
  'budget.reserve': { taskId: 't1', attempt: 1, tokens: -1, costUsd: 0.04 },
  'lease.take': { taskId: 't1', attempt: 1, path: '' },
  heartbeat: { active: 'all' },
  error: { error: { message: 'no code' } },
};

const validCoordinator: Outgoing<CoordinatorMessage>[] = [
  { type: 'welcome', workerId: 'w1', runId: 'r1', heartbeatMs: 1000 },
  { type: 'task.assign', taskId: 'impl-1', attempt: 1, task, context },
  { type: 'task.ack', taskId: 't1', attempt: 2 },
  { type: 'task.cancel', taskId: 't1', attempt: 2, reason: 'interrupted' },
  { type: 'memory.results', entries: [{ id: 'm1', kind: 'fact', summary: 'uses vitest' }] },
  { type: 'scratchpad.content', name: 'a', exists: false },
  { type: 'budget.reply' },
  { type: 'budget.reply', refused: { budget: 'maxCostUsd', reason: 'the run budget cannot cover it' } },
  { type: 'lease.granted', path: 'src/math.js' },
  { type: 'lease.denied', path: 'src/math.js', holder: { taskId: 't2', title: 'Fix add', doing: 'edit_file src/math.js' } },
  { type: 'shutdown', reason: 'done' },
  { type: 'error', error: { code: 'invalid_message', message: 'bad' }, replyTo: 'abc' },
];

const invalidCoordinator: Record<CoordinatorMessage['type'], Record<string, unknown>> = {
  welcome: { workerId: 'w1', runId: 'r1', heartbeatMs: -1 },
  'task.assign': { taskId: 'impl-1', attempt: 1, task: { ...task, role: 'deploy' }, context },
  'task.ack': { taskId: 't1' },
  'task.cancel': { taskId: 't1', attempt: 1 },
  'memory.results': { entries: 'none' },
  'scratchpad.content': { name: 'a' },
  'budget.reply': { refused: { budget: 'maxMoney', reason: 'x' } },
  'lease.granted': { path: 7 },
  'lease.denied': { path: 'a.js', holder: { title: 'no id' } },
  shutdown: {},
  error: { error: 'bad' },
};

describe('worker messages', () => {
  it.each(validWorker.map((m) => [m.type, m] as const))('a valid %s round-trips through encode and decode', (_type, message) => {
    const decoded = decodeWorkerMessage(encode(message));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.message).toMatchObject(message);
  });

  it.each(Object.entries(invalidWorker))('an invalid %s is refused with invalid_message and its id', (type, payload) => {
    const decoded = decodeWorkerMessage(JSON.stringify({ v: 1, id: 'm-1', ts: 1, type, ...payload }));
    expect(decoded).toMatchObject({ ok: false, replyTo: 'm-1' });
    if (!decoded.ok) expect(decoded.error.code).toBe('invalid_message');
  });
});

describe('coordinator messages', () => {
  it.each(validCoordinator.map((m) => [m.type, m] as const))('a valid %s round-trips through encode and decode', (_type, message) => {
    const decoded = decodeCoordinatorMessage(encode(message));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.message).toMatchObject(message);
  });

  it.each(Object.entries(invalidCoordinator))('an invalid %s is refused with invalid_message', (type, payload) => {
    const decoded = decodeCoordinatorMessage(JSON.stringify({ v: 1, id: 'm-2', ts: 1, type, ...payload }));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.code).toBe('invalid_message');
  });
});

describe('frame guards', () => {
  it('refuses a frame over the size limit before parsing it', () => {
    const decoded = decodeWorkerMessage('x'.repeat(101), 100);
    expect(decoded.ok || decoded.error.code).toBe('frame_too_large');
  });

  it('refuses text that is not JSON', () => {
    const decoded = decodeWorkerMessage('{"v":1,');
    expect(decoded.ok || decoded.error.code).toBe('invalid_json');
  });

  it('refuses a JSON value that is not an object', () => {
    expect(decodeWorkerMessage('[1,2]').ok).toBe(false);
    expect(decodeWorkerMessage('null').ok).toBe(false);
  });

  it('names an unknown type and a coordinator-only type sent by a worker', () => {
    const unknown = decodeWorkerMessage(JSON.stringify({ v: 1, id: 'a', ts: 1, type: 'launch.missiles' }));
    expect(unknown.ok || unknown.error.message).toContain('launch.missiles');
    const wrongSide = decodeWorkerMessage(encode({ type: 'shutdown', reason: 'x' }));
    expect(wrongSide.ok || wrongSide.error.code).toBe('unknown_type');
  });

  it('refuses another protocol version', () => {
    const decoded = decodeWorkerMessage(JSON.stringify({ v: 2, id: 'a', ts: 1, type: 'heartbeat', active: [] }));
    expect(decoded.ok || decoded.error.code).toBe('unsupported_version');
  });

  it('drops __proto__ keys instead of letting them reach an object prototype', () => {
    const raw = '{"v":1,"id":"a","ts":1,"type":"heartbeat","active":[],"__proto__":{"polluted":true}}';
    const decoded = decodeWorkerMessage(raw);
    expect(decoded.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    if (decoded.ok) expect(Object.getPrototypeOf(decoded.message)).toBe(Object.prototype);
  });

  it('survives deeply nested JSON', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const raw = `{"v":1,"id":"a","ts":1,"type":"task.result","taskId":"t","attempt":1,"result":{"outcome":"succeeded","summary":"s","usage":${JSON.stringify(emptyUsage())},"output":${deep}}}`;
    expect(raw.length).toBeLessThan(MAX_FRAME_BYTES);
    expect(() => decodeWorkerMessage(raw)).not.toThrow();
  });
});
