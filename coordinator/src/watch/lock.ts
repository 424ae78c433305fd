import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { WatchError } from './errors.js';

/** What the pidfile holds. */
export const WatchLockInfo = z.object({ pid: z.number().int().positive(), startedAt: z.number(), every: z.string() });
export type WatchLockInfo = z.infer<typeof WatchLockInfo>;

/**
 * Whether a process with this pid runs (EPERM: it exists but belongs to someone else). A zombie
 * does not count: where nobody reaps orphans (PID 1 in some containers) a stopped watcher stays
 * one, and it must not look like a watcher still holding the lock.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = process.platform === 'linux' ? readProcStat(pid) : undefined;
  return stat === undefined || !/^\d+ \(.*\) Z/s.test(stat);
}

function readProcStat(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/** The running watcher named by the pidfile; undefined when there is none or it died without cleaning up. */
export async function readWatchLock(pidfile: string): Promise<WatchLockInfo | undefined> {
  const text = await readFile(pidfile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let parsed: ReturnType<typeof WatchLockInfo.safeParse>;
  try {
    parsed = WatchLockInfo.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  return parsed.success && isAlive(parsed.data.pid) ? parsed.data : undefined;
}

/**
 * Takes the repository's watcher lock: the pidfile is written whole beside its place and then
 * hard-linked there, which fails when it exists, so of two watchers starting at once only one
 * wins and nobody ever reads a half-written pidfile. A pidfile left by a dead watcher is replaced. Throws
 * WatchError('watch_running') naming the live watcher's pid. Returns the release function.
 */
export async function acquireWatchLock(pidfile: string, info: WatchLockInfo): Promise<() => Promise<void>> {
  await mkdir(dirname(pidfile), { recursive: true });
  const draft = `${pidfile}.${info.pid}.tmp`;
  await writeFile(draft, `${JSON.stringify(info)}\n`);
  try {
    return await linkLock(pidfile, draft, info);
  } finally {
    await rm(draft, { force: true });
  }
}

async function linkLock(pidfile: string, draft: string, info: WatchLockInfo): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await link(draft, pidfile);
      return async () => {
        const current = await readWatchLock(pidfile);
        if (current?.pid === info.pid || current === undefined) await rm(pidfile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readWatchLock(pidfile);
    if (holder) {
      throw new WatchError('watch_running', `a watcher already runs for this repository (pid ${holder.pid}); stop it with \`coordinate watch stop\` first`, {
        pid: holder.pid,
      });
    }
    await rm(pidfile, { force: true });
  }
  throw new WatchError('watch_start_failed', `could not take the watcher lock ${pidfile}: another watcher keeps starting; try again`, { file: pidfile });
}
