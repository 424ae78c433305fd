import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Logger } from 'pino';

export interface PoolOptions {
  /** The worker program to run with this Node binary. */
  entry: string;
  url: string;
  /** Issues each spawned worker a token of its own, handed over on its stdin. */
  issueToken(name: string): string;
  executor: string;
  /** False is the person's --no-sandbox: the workers run task commands unconfined. */
  sandbox: boolean;
  /** For a wss:// url: the PEM file (the server certificate and its chain) the workers trust. */
  caFile?: string;
  logsDir: string;
  /** Extra environment for the workers (e.g. ANTHROPIC_*); nothing else is inherited but PATH. */
  env?: Record<string, string>;
  logger: Logger;
  /** A worker process ended (crash, kill, or normal exit). */
  onExit(name: string, reason: string): void;
}

interface Spawned {
  name: string;
  pid: number;
  process: ResultPromise;
  exited: boolean;
  done: Promise<unknown>;
}

/** The worker processes this coordinator starts, and the guarantee that none outlives it. */
export class WorkerPool {
  readonly #workers = new Map<string, Spawned>();
  #count = 0;

  constructor(private readonly options: PoolOptions) {}

  isSpawnedId(name: string): boolean {
    return this.#workers.has(name);
  }

  running(): number {
    return [...this.#workers.values()].filter((w) => !w.exited).length;
  }

  pids(): number[] {
    return [...this.#workers.values()].map((w) => w.pid);
  }

  spawn(count: number): void {
    for (let i = 0; i < count; i++) this.#spawnOne(`w${++this.#count}`);
  }

  #spawnOne(name: string): void {
    const { entry, url, executor, logsDir, logger } = this.options;
    const argv = [entry, '--url', url, '--executor', executor, '--spawned', '--token-stdin', '--name', name, '--log', join(logsDir, `${name}.log`)];
    if (!this.options.sandbox) argv.push('--no-sandbox');
    if (this.options.caFile !== undefined) argv.push('--ca', this.options.caFile);
    const child = execa(process.execPath, argv, {
      // The worker's own token travels on its stdin: never in argv (`ps` shows it) nor in the
      // environment (its commands' /proc would).
      extendEnv: false,
      env: { PATH: process.env.PATH ?? '', ...this.options.env },
      input: this.options.issueToken(name),
      stdout: 'ignore',
      stderr: 'pipe',
      buffer: false,
      reject: false,
    });
    const pid = child.pid ?? -1;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => logger.warn({ worker: name, stderr: chunk.trimEnd().slice(0, 4000) }, 'worker stderr'));
    const spawned: Spawned = { name, pid, process: child, exited: false, done: Promise.resolve() };
    spawned.done = child.then((result) => {
      spawned.exited = true;
      const reason = result.signal ? `process killed by ${result.signal}` : `process exited with code ${result.exitCode}`;
      logger.info({ worker: name, pid, reason }, 'worker process ended');
      this.options.onExit(name, reason);
    });
    this.#workers.set(name, spawned);
    logger.info({ worker: name, pid }, 'worker spawned');
  }

  /** Asks every worker to stop, then kills the ones still there after `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    const running = [...this.#workers.values()].filter((w) => !w.exited);
    for (const worker of running) worker.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(running.map((w) => w.done)), grace]);
    clearTimeout(timer);
    for (const worker of running) if (!worker.exited) worker.process.kill('SIGKILL');
    await Promise.all(running.map((w) => w.done));
  }

  /** Waits (bounded) for the workers to leave on their own, e.g. after a shutdown message. */
  async waitForExit(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.#workers.values()].map((w) => w.done)), timeout]);
    clearTimeout(timer);
  }
}
