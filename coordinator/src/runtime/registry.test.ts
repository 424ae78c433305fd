import { getEventListeners } from 'node:events';
import pino from 'pino';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '@coordinate/protocol';
import { WorkerRegistry, type WorkerRecord } from './registry.js';
import { startServer, type CoordinatorServer } from './server.js';
import { WorkerCredentials } from './worker-credentials.js';

const TOKEN = 'test-token-registry-0123456789abcdef';
let server: CoordinatorServer | undefined;
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await server?.close();
  server = undefined;
});

/** A registry behind a real server, with one worker joined over a real socket. */
async function registryWithOneWorker(): Promise<{ registry: WorkerRegistry; worker: WorkerRecord }> {
  const registry = new WorkerRegistry({ isSpawnedId: () => false, onJoined: () => undefined, onLost: () => undefined });
  let joined: WorkerRecord | undefined;
  server = await startServer({
    credentials: new WorkerCredentials(TOKEN),
    logger: pino({ level: 'silent' }),
    onMessage: (peer, message) => {
      if (message.type === 'hello') joined = registry.hello(peer, message);
    },
    onClose: (peer) => registry.disconnected(peer),
  });
  const client = new WebSocket(server.url, { headers: { authorization: `Bearer ${TOKEN}` } });
  clients.push(client);
  await new Promise((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
  client.send(encode({ type: 'hello', pid: 1, version: 'test', roles: ['research'], sharedFs: false }));
  for (let waited = 0; !joined; waited += 10) {
    if (waited > 5_000) throw new Error('the worker never joined');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { registry, worker: joined };
}

describe('the worker registry', () => {
  it('hands a freed worker to the attempts waiting for it in turn, leaving no listener on their shared abort signal', async () => {
    const { registry, worker } = await registryWithOneWorker();
    const run = new AbortController();
    expect(await registry.acquire(run.signal)).toBe(worker);
    // Twenty attempts of one run wait for the only worker, all on the run's one signal.
    const order: number[] = [];
    const waiting = Array.from({ length: 20 }, (_, i) => registry.acquire(run.signal).then((got) => (order.push(i), got)));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(20);
    for (const next of waiting) {
      registry.release(worker);
      expect(await next).toBe(worker);
    }
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
  });

  it('rejects the attempts still waiting when the run is stopped', async () => {
    const { registry } = await registryWithOneWorker();
    const run = new AbortController();
    await registry.acquire(run.signal);
    const waiting = registry.acquire(run.signal);
    run.abort(new Error('run stopped'));
    await expect(waiting).rejects.toThrow('run stopped');
    await expect(registry.acquire(run.signal)).rejects.toThrow('run stopped');
  });
});
