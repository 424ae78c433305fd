import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import WebSocket from 'ws';
import { encode, type CoordinatorMessage, type Outgoing, type TaskSpec, type WorkerMessage } from '@coordinate/protocol';
import { runPlan, workerEntryPath, type JournalEvent, type RunPlanOptions, type RunPlanResult } from 'coordinate';

export const TOKEN = 'test-token-0123456789abcdef-runtime';

const byHand: ResultPromise[] = [];
/** A deterministic worker started by hand in `cwd` with only `env` (its token), killed by `killWorkersByHand` in afterEach. */
export function startWorkerByHand(url: string, cwd: string, env: Record<string, string>, ...flags: string[]): ResultPromise {
  const child = execa(process.execPath, [workerEntryPath(), '--url', url, '--executor', 'deterministic', ...flags], {
    cwd,
    extendEnv: false,
    env: { PATH: process.env.PATH ?? '', ...env },
    reject: false,
    timeout: 60_000,
  });
  byHand.push(child);
  return child;
}

export async function killWorkersByHand(): Promise<void> {
  for (const child of byHand.splice(0)) {
    child.kill('SIGKILL');
    await child.catch(() => undefined);
  }
}

/** Temp dirs made by a test, removed by `removeTempDirs` in afterEach. */
const made: string[] = [];
export async function tempDir(prefix = 'coordinate-runtime-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export function task(id: string, dependsOn: string[] = []): TaskSpec {
  return { id, title: `Task ${id}`, role: 'research', instructions: `do ${id}`, dependsOn };
}

/** A layered DAG: `layers` of `width` tasks, each depending on two tasks of the layer above. */
export function layeredDag(layers: number, width: number): TaskSpec[] {
  const tasks: TaskSpec[] = [];
  for (let l = 0; l < layers; l++) {
    for (let i = 0; i < width; i++) {
      const deps = l === 0 ? [] : [`t${l - 1}-${i}`, `t${l - 1}-${(i + 1) % width}`];
      tasks.push(task(`t${l}-${i}`, [...new Set(deps)]));
    }
  }
  return tasks;
}

/** Settings for the deterministic executor, as prepareTask hands them to a task. */
export const deterministic = (settings: Record<string, unknown>) => ({ settings: { deterministic: settings } });

export async function readJournalFile(file: string): Promise<JournalEvent[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as JournalEvent);
}

export const journalPath = (repoRoot: string, runId: string) => join(repoRoot, '.coordinate', 'runs', runId, 'journal.jsonl');

/** Whether a process still runs. An exited orphan waiting to be reaped (a zombie) does not count. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A hand-driven worker connection for protocol tests: it sends exactly the frames a test writes
 * and records what the coordinator answers.
 */
export class RawClient {
  readonly received: CoordinatorMessage[] = [];
  readonly socket: WebSocket;
  closed = false;
  closeCode: number | undefined;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data: Buffer) => {
      try {
        this.received.push(JSON.parse(data.toString('utf8')) as CoordinatorMessage);
      } catch {
        // A frame the test did not expect is ignored, not fatal to the test harness.
      }
    });
    socket.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
    socket.on('error', () => undefined);
  }

  static connect(url: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers });
      socket.once('open', () => resolve(new RawClient(socket)));
      socket.once('unexpected-response', (_request, response) => {
        response.resume();
        reject(Object.assign(new Error(`refused with HTTP ${response.statusCode}`), { status: response.statusCode }));
      });
      socket.once('error', reject);
    });
  }

  send(message: Outgoing<WorkerMessage>): void {
    this.socket.send(encode(message));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  async next<T extends CoordinatorMessage['type']>(type: T, predicate: (m: Extract<CoordinatorMessage, { type: T }>) => boolean = () => true, timeoutMs = 10_000) {
    return waitFor(
      () => this.received.find((m): m is Extract<CoordinatorMessage, { type: T }> => m.type === type && predicate(m as Extract<CoordinatorMessage, { type: T }>)),
      `a ${type} message`,
      timeoutMs,
    );
  }

  async hello(workerId?: string): Promise<string> {
    this.send({ type: 'hello', pid: process.pid, version: 'test', roles: ['research'], sharedFs: false, ...(workerId ? { workerId } : {}) });
    const welcome = await this.next('welcome');
    return welcome.workerId;
  }

  close(): void {
    this.socket.terminate();
  }
}

/**
 * Starts a run in the background and resolves once it listens, with its URL; a run that fails
 * before listening fails the wait at once with its own error.
 */
export async function startRun(options: RunPlanOptions): Promise<{ url: string; done: Promise<RunPlanResult> }> {
  let url: string | undefined;
  let failure: unknown;
  const done = runPlan({
    ...options,
    onEvent: (event) => {
      if (event.type === 'run.started' || event.type === 'run.resumed') url = event.url;
      options.onEvent?.(event);
    },
  });
  done.catch((error: unknown) => (failure = error));
  const listening = await waitFor(() => {
    if (failure) throw failure as Error;
    return url;
  }, 'the coordinator to listen');
  return { url: listening, done };
}
