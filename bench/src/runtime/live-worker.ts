import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeLogger, createLogger } from '@coordinate/logging';
import { startServer, WorkerCredentials, workerEntryPath, type CoordinatorServer, type Peer } from 'coordinate';
import type { TaskContext, TaskSpec, WorkerMessage } from '@coordinate/protocol';

/** A coordinator socket server with one real worker process connected to it, for measurements. */
export interface LiveWorker {
  peer: Peer;
  /** Called for every message the worker sends after its hello. */
  onMessage(handler: (message: WorkerMessage) => void): void;
  close(): Promise<void>;
}

export const benchTask = (id: string): TaskSpec => ({ id, title: id, role: 'research', instructions: 'bench', dependsOn: [] });
export const benchContext = (settings: Record<string, unknown>): TaskContext => ({
  runId: 'bench',
  dependencies: [],
  memory: [],
  budget: { maxTurns: 1 },
  settings: { deterministic: settings },
});

export async function startLiveWorker(): Promise<LiveWorker> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-bench-'));
  const logger = createLogger({ file: join(dir, 'coordinator.log'), name: 'bench', level: 'warn' });
  const credentials = new WorkerCredentials();
  const token = credentials.issue('bench');
  let handler: (message: WorkerMessage) => void = () => undefined;
  let joined!: (peer: Peer) => void;
  const ready = new Promise<Peer>((resolve) => (joined = resolve));
  const server: CoordinatorServer = await startServer({
    credentials,
    logger,
    onMessage: (peer, message) => {
      if (message.type === 'hello') {
        peer.send({ type: 'welcome', workerId: 'bench', runId: 'bench', heartbeatMs: 60_000 });
        joined(peer);
      } else handler(message);
    },
    onClose: () => undefined,
  });
  const child: ChildProcess = spawn(process.execPath, [workerEntryPath(), '--url', server.url, '--executor', 'deterministic', '--spawned', '--token-stdin', '--name', 'bench', '--log', join(dir, 'worker.log')], {
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  child.stdin?.end(token);
  const peer = await ready;
  return {
    peer,
    onMessage: (next) => (handler = next),
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      peer.send({ type: 'shutdown', reason: 'benchmark done' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
      await server.close();
      await closeLogger(logger);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
