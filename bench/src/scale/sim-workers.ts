/**
 * A process of light simulated workers for bench/scale: `count` WebSocket clients that speak the
 * worker protocol, accept each task at once and answer it after a hold drawn evenly from half to
 * one and a half times `holdMs` (or never, with `hang`), so tasks end one at a time as real ones
 * do rather than all together. argv: url count holdMs hang(0|1); the token comes on stdin, as a
 * spawned worker's does.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { decodeCoordinatorMessage, emptyUsage, encode, type Outgoing, type WorkerMessage } from '@coordinate/protocol';

const [url, countArg, holdArg, hangArg] = process.argv.slice(2);
const count = Number(countArg);
const holdMs = Number(holdArg);
const hang = hangArg === '1';
const token = (await new Promise<string>((resolve) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => (text += chunk));
  process.stdin.on('end', () => resolve(text.trim()));
}));

/** A number in [0, 1) from a string (FNV-1a), the same for the same string. */
function spread(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) / 2 ** 32;
}

function simulate(): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url!, { headers: { authorization: `Bearer ${token}` }, perMessageDeflate: false });
    const send = (message: Outgoing<WorkerMessage>) => socket.readyState === WebSocket.OPEN && socket.send(encode(message));
    const active = new Map<string, number>();
    let heartbeat: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      send({ type: 'hello', pid: process.pid, version: 'bench', roles: ['research', 'implement', 'verify'], sharedFs: false });
      resolve();
    });
    socket.on('message', (data: Buffer) => {
      const decoded = decodeCoordinatorMessage(data);
      if (!decoded.ok) return;
      const message = decoded.message;
      if (message.type === 'welcome') {
        heartbeat = setInterval(() => send({ type: 'heartbeat', active: [...active].map(([taskId, attempt]) => ({ taskId, attempt })) }), message.heartbeatMs);
      } else if (message.type === 'task.assign') {
        const { taskId, attempt } = message;
        active.set(taskId, attempt);
        send({ type: 'task.accepted', taskId, attempt });
        if (!hang) {
          // Deterministic from the task's id, so every run of the bench holds each task as long.
          const hold = holdMs * (0.5 + spread(taskId));
          setTimeout(() => {
            active.delete(taskId);
            send({ type: 'task.result', id: randomUUID(), taskId, attempt, result: { outcome: 'succeeded', summary: 'simulated', usage: emptyUsage() } });
          }, hold);
        }
      } else if (message.type === 'shutdown') {
        clearInterval(heartbeat);
        socket.close();
      }
    });
    socket.on('close', () => clearInterval(heartbeat));
    socket.on('error', () => resolve());
  });
}

// Connections open a few at a time, as workers of a real fleet arrive.
for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: Math.min(50, count - i) }, simulate));
if (process.connected) process.send?.('connected');
