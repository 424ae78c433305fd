import pino from 'pino';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { encode } from '@coordinate/protocol';
import { watchLiveness } from './liveness.js';
import { WorkerRegistry } from './registry.js';
import { startServer, type CoordinatorServer } from './server.js';
import { WorkerCredentials } from './worker-credentials.js';

const TOKEN = 'test-token-liveness-0123456789abcdef';
const HEARTBEAT_MS = 100;
let server: CoordinatorServer | undefined;
let stopLiveness: (() => void) | undefined;
const clients: WebSocket[] = [];
const timers: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  stopLiveness?.();
  for (const client of clients.splice(0)) client.terminate();
  await server?.close();
  server = undefined;
});

/** A worker over a real socket that says hello and counts the pings it gets; `chatty` sends its own heartbeat ten times a heartbeat. */
async function joinWorker(url: string, chatty: boolean): Promise<{ pings: () => number }> {
  const client = new WebSocket(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  clients.push(client);
  let pings = 0;
  client.on('ping', () => pings++);
  await new Promise((resolve, reject) => (client.once('open', resolve), client.once('error', reject)));
  client.send(encode({ type: 'hello', pid: 1, version: 'test', roles: ['research'], sharedFs: false }));
  if (chatty) timers.push(setInterval(() => client.send(encode({ type: 'heartbeat', active: [] })), HEARTBEAT_MS / 10));
  return { pings: () => pings };
}

describe('liveness', () => {
  it('pings only a worker it has not heard from for a heartbeat, and keeps both alive', async () => {
    const lost: string[] = [];
    const registry = new WorkerRegistry({ isSpawnedId: () => false, onJoined: () => undefined, onLost: (worker) => lost.push(worker.id) });
    server = await startServer({
      credentials: new WorkerCredentials(TOKEN),
      logger: pino({ level: 'silent' }),
      onMessage: (peer, message) => {
        if (message.type === 'hello') registry.hello(peer, message);
      },
      onClose: (peer) => registry.disconnected(peer),
    });
    stopLiveness = watchLiveness({ server, registry, heartbeatMs: HEARTBEAT_MS, deadAfterMs: 5 * HEARTBEAT_MS });
    const chatty = await joinWorker(server.url, true);
    const quiet = await joinWorker(server.url, false);
    await new Promise((resolve) => setTimeout(resolve, 20 * HEARTBEAT_MS));
    // Pinged each heartbeat, the chatty one would have 20: a stalled machine may leave it silent for one now and then.
    expect(chatty.pings()).toBeLessThanOrEqual(3);
    // The quiet one answers each ping with a pong, so it is pinged every other heartbeat or so and stays alive.
    expect(quiet.pings()).toBeGreaterThanOrEqual(5);
    expect(lost).toEqual([]);
  });
});
