import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPlanResult } from 'coordinate';
import { encode } from '@coordinate/protocol';
import { RawClient, removeTempDirs, startRun, task, tempDir, TOKEN, waitFor } from './helpers.js';

/** One run stays open while the tests knock at its door; its only task waits until they are done. */
let url: string;
let repoRoot: string;
let run: Promise<RunPlanResult>;
let openDoor!: () => void;
const gate = new Promise<void>((resolve) => (openDoor = resolve));
const clients: RawClient[] = [];

beforeAll(async () => {
  repoRoot = await tempDir();
  ({ url, done: run } = await startRun({
    repoRoot,
    runId: 'door',
    goal: 'withstand abuse',
    tasks: [task('after-abuse')],
    workers: 1,
    executor: 'deterministic',
    token: TOKEN,
    prepare: async () => (await gate, { settings: { deterministic: { sleepMs: 5 } } }),
  }));
});

afterAll(async () => {
  openDoor();
  for (const client of clients) client.close();
  await run.catch(() => undefined);
  await removeTempDirs();
});

async function refusalStatus(headers: Record<string, string>): Promise<number> {
  const error = await RawClient.connect(url, headers).then(
    (client) => {
      clients.push(client);
      return { status: 0 };
    },
    (error: { status?: number }) => error,
  );
  return error.status ?? -1;
}

/** A seeded mix of everything a confused or hostile peer might send. */
function* badFrames(count: number): Generator<string | Buffer> {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const envelope = () => ({ v: 1, id: `f${Math.floor(random() * 1e9)}`, ts: Date.now() });
  for (let i = 0; i < count; i++) {
    switch (i % 10) {
      case 0:
        yield Buffer.from(Array.from({ length: 1 + Math.floor(random() * 200) }, () => Math.floor(random() * 256)));
        break;
      case 1:
        yield '{"v":1,"type":"hello",'.slice(0, 1 + Math.floor(random() * 20));
        break;
      case 2:
        yield JSON.stringify({ ...envelope(), type: `made.up.${i}` });
        break;
      case 3:
        yield JSON.stringify({ ...envelope(), type: 'task.result', taskId: '../../etc', attempt: -1, result: 'yes' });
        break;
      case 4:
        yield `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"v":1,"id":"p${i}","ts":1,"type":"heartbeat","active":[]}`;
        break;
      case 5:
        yield `{"v":1,"id":"d${i}","ts":1,"type":"memory.search","query":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
        break;
      case 6:
        yield JSON.stringify({ ...envelope(), type: 'scratchpad.write', taskId: 'after-abuse', name: '../../escape', content: 'x' });
        break;
      case 7:
        yield JSON.stringify({ ...envelope(), v: 99, type: 'hello' });
        break;
      case 8:
        yield JSON.stringify([null, 1, 'array']);
        break;
      default:
        yield i === 999 || i === 499 ? 'x'.repeat(8 * 1024 * 1024 + 16) : JSON.stringify({ ...envelope(), type: 'hello', pid: 'not a number' });
    }
  }
}

describe('the coordinator at its door', () => {
  it('refuses a client with a wrong or missing token with 401, and no socket', async () => {
    expect(await refusalStatus({ authorization: 'Bearer not-the-token' })).toBe(401);
    expect(await refusalStatus({ authorization: `Bearer ${TOKEN}x` })).toBe(401);
    expect(await refusalStatus({})).toBe(401);
  });

  it('refuses an upgrade that carries a browser Origin header with 403', async () => {
    expect(await refusalStatus({ authorization: `Bearer ${TOKEN}`, origin: 'https://example.com' })).toBe(403);
  });

  it('stays up through 1,000 random and malformed frames, answering them with errors', async () => {
    let client = await RawClient.connect(url);
    clients.push(client);
    let errors = 0;
    let closes = 0;
    for (const frame of badFrames(1_000)) {
      if (client.closed || client.socket.readyState !== client.socket.OPEN) {
        errors += client.received.filter((m) => m.type === 'error').length;
        closes++;
        client = await RawClient.connect(url);
        clients.push(client);
      }
      client.sendRaw(frame);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await waitFor(() => client.received.length > 0 || client.closed, 'the last connection to answer');
    errors += client.received.filter((m) => m.type === 'error').length;
    expect(errors).toBeGreaterThan(100);
    expect(closes).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const healthy = await RawClient.connect(url);
    clients.push(healthy);
    expect(await healthy.hello()).toMatch(/^remote-/);
  });

  it('cuts off a client that never reads while the coordinator sends, and memory stays bounded', async () => {
    const big = 'y'.repeat(1024 * 1024);
    await mkdir(join(repoRoot, '.coordinate/runs/door/scratchpad/big'), { recursive: true });
    await writeFile(join(repoRoot, '.coordinate/runs/door/scratchpad/big/blob.txt'), big);
    const client = await RawClient.connect(url);
    clients.push(client);
    await client.hello();
    const tcp = (client.socket as unknown as { _socket: Socket })._socket;
    tcp.pause();
    const before = process.memoryUsage().rss;
    const requests = 400;
    for (let i = 0; i < requests; i++) client.socket.send(encode({ type: 'scratchpad.read', name: 'big/blob.txt' }));
    const log = join(repoRoot, '.coordinate/runs/door/logs/coordinator.log');
    await waitFor(async () => (await readFile(log, 'utf8')).includes('peer stopped reading: cut off'), 'the coordinator to cut the client off');
    const grown = process.memoryUsage().rss - before;
    // 400 replies of 1 MiB were asked for; a coordinator that buffered them would hold 400 MiB.
    expect(grown).toBeLessThan(128 * 1024 * 1024);
    tcp.resume();
    await waitFor(() => client.closed, 'the socket to be closed');
  });

  it('then serves a valid worker that completes the run', async () => {
    openDoor();
    const outcome = await run;
    expect(outcome.outcome).toBe('succeeded');
    expect(outcome.state.tasks['after-abuse']?.status).toBe('succeeded');
  });
});
