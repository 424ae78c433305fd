import { createServer, connect, type Server, type Socket } from 'node:net';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { workerEntryPath } from 'coordinate';
import { deterministic, journalPath, readJournalFile, removeTempDirs, startRun, task, tempDir, TOKEN } from './helpers.js';

/** A TCP relay between worker and coordinator that a test can cut, like a flaky network. */
class Relay {
  private constructor(
    readonly server: Server,
    readonly port: number,
    private readonly sockets: Set<Socket>,
  ) {}

  static async start(target: URL): Promise<Relay> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    return new Relay(server, typeof address === 'object' && address ? address.port : 0, sockets);
  }

  cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let relay: Relay | undefined;
let worker: ResultPromise | undefined;
afterEach(async () => {
  worker?.kill('SIGKILL');
  await relay?.close();
  await removeTempDirs();
});

describe('a worker whose connection drops mid-task', () => {
  it('reconnects and delivers its result, which is applied exactly once', async () => {
    const repoRoot = await tempDir();
    let cutDone = false;
    const { url, done: run } = await startRun({
      repoRoot,
      runId: 'reconnect',
      goal: 'survive a network blip',
      tasks: [task('long')],
      workers: 0,
      executor: 'deterministic',
      token: TOKEN,
      heartbeatMs: 200,
      deadAfterMs: 10_000,
      prepare: () => deterministic({ sleepMs: 600 }),
      onEvent: (event) => {
        if (event.type === 'task.started' && !cutDone) {
          cutDone = true;
          relay!.cut();
        }
      },
    });
    relay = await Relay.start(new URL(url));
    worker = execa(process.execPath, [workerEntryPath(), '--url', `ws://127.0.0.1:${relay.port}`, '--executor', 'deterministic'], {
      extendEnv: false,
      env: { PATH: process.env.PATH ?? '', COORDINATE_TOKEN: TOKEN },
      reject: false,
      timeout: 30_000,
    });
    const outcome = await run;
    expect(cutDone).toBe(true);
    expect(outcome.outcome).toBe('succeeded');
    const events = await readJournalFile(journalPath(repoRoot, 'reconnect'));
    expect(events.filter((e) => e.type === 'task.finished')).toEqual([expect.objectContaining({ taskId: 'long', attempt: 1 })]);
    expect(events.filter((e) => e.type === 'worker.lost')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'worker.joined')).toHaveLength(1);
  });
});
