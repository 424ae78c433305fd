import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { z } from 'zod';
import { defineError } from '@coordinate/protocol';

/** What the lock file says about the coordinator that drives a run. */
export const RunLockInfo = z.object({
  pid: z.number().int().positive(),
  host: z.string(),
  /** Epoch ms when this coordinator took the run. */
  startedAt: z.number(),
  /** Epoch ms of its last heartbeat. */
  heartbeatAt: z.number(),
});
export type RunLockInfo = z.infer<typeof RunLockInfo>;

/** Another coordinator is driving the run right now: starting a second one would run its tasks twice. */
export const RunLockedError = defineError('run_locked', RunLockInfo.extend({ runId: z.string() }), { retryable: false, exit: 'usage' });

/** How often the holder rewrites its heartbeat, and after how long without one the lock counts as stale (ms). */
export const LOCK_HEARTBEAT_MS = 5_000;
export const LOCK_STALE_MS = 30_000;

export interface RunLockOptions {
  runId: string;
  /** Told when a stale lock (dead pid, old heartbeat) is taken over. */
  onTakeover?: (stale: RunLockInfo, why: string) => void;
  now?: () => number;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Reads a run's lock; undefined when there is none or it cannot be read as one (a torn write counts as none). */
export async function readRunLock(file: string): Promise<RunLockInfo | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return RunLockInfo.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Why a lock no longer holds, or undefined while its coordinator is alive: on this host a dead
 * pid decides at once; elsewhere only a heartbeat older than {@link LOCK_STALE_MS} does.
 */
export function staleReason(lock: RunLockInfo, now = Date.now()): string | undefined {
  if (lock.host === hostname() && !isAlive(lock.pid)) return `process ${lock.pid} is gone`;
  const silentMs = now - lock.heartbeatAt;
  if (silentMs > LOCK_STALE_MS) return `no heartbeat from process ${lock.pid} on ${lock.host} for ${Math.round(silentMs / 1000)} s`;
  return undefined;
}

/** The lock of a run that a live coordinator holds, or undefined. */
export async function liveRunLock(file: string): Promise<RunLockInfo | undefined> {
  const lock = await readRunLock(file);
  return lock && staleReason(lock) === undefined ? lock : undefined;
}

/**
 * A run's lock, held by this process: created exclusively (two coordinators racing for one run
 * cannot both win), its heartbeat rewritten every {@link LOCK_HEARTBEAT_MS}, removed on release.
 * A stale lock is taken over with a note; a live one throws RunLockedError naming its pid.
 */
export class RunLock {
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> = Promise.resolve();
  #released = false;

  private constructor(
    readonly file: string,
    private info: RunLockInfo,
    private readonly now: () => number,
  ) {}

  static async acquire(file: string, options: RunLockOptions): Promise<RunLock> {
    const now = options.now ?? Date.now;
    const info: RunLockInfo = { pid: process.pid, host: hostname(), startedAt: now(), heartbeatAt: now() };
    for (let tries = 0; ; tries++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(JSON.stringify(info));
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw error;
      }
      const held = await readRunLock(file);
      const why = held ? staleReason(held, now()) : 'its lock file was unreadable';
      if (held && why === undefined) {
        throw new RunLockedError(`run ${options.runId} is still running (pid ${held.pid} on ${held.host}); wait for it, or stop it first`, { ...held, runId: options.runId });
      }
      if (held && why) options.onTakeover?.(held, why);
      await unlink(file).catch(() => undefined);
    }
    const lock = new RunLock(file, info, now);
    lock.#timer = setInterval(() => {
      lock.#beating = lock.#beating.then(() => lock.#beat());
    }, LOCK_HEARTBEAT_MS);
    lock.#timer.unref();
    return lock;
  }

  async #beat(): Promise<void> {
    if (this.#released) return;
    this.info = { ...this.info, heartbeatAt: this.now() };
    // Written beside and renamed over, so a reader never sees half a lock.
    const next = `${this.file}.${process.pid}`;
    await writeFile(next, JSON.stringify(this.info))
      .then(() => rename(next, this.file))
      .catch(() => undefined);
  }

  async release(): Promise<void> {
    this.#released = true;
    clearInterval(this.#timer);
    await this.#beating;
    const held = await readRunLock(this.file);
    if (held?.pid === this.info.pid && held.startedAt === this.info.startedAt) await unlink(this.file).catch(() => undefined);
  }
}
