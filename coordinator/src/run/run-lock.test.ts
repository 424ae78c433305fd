import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { liveRunLock, LOCK_STALE_MS, RunLock, type RunLockInfo } from './run-lock.js';

let dir: string;
let file: string;
const held: RunLock[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'coordinate-lock-'));
  file = join(dir, 'lock');
});
afterEach(async () => {
  for (const lock of held.splice(0)) await lock.release();
  await rm(dir, { recursive: true, force: true });
});

const acquire = async (options: Parameters<typeof RunLock.acquire>[1] = { runId: 'r1' }) => {
  const lock = await RunLock.acquire(file, options);
  held.push(lock);
  return lock;
};

/** The pid of a process that has just exited: on this host, surely dead. */
async function deadPid(): Promise<number> {
  const child = execa(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  await child;
  return pid;
}

describe('the run lock', () => {
  it('refuses a second coordinator while the first holds the run, naming its pid and host', async () => {
    await acquire();
    expect(await liveRunLock(file)).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(RunLock.acquire(file, { runId: 'r1' })).rejects.toMatchObject({
      code: 'run_locked',
      exit: 'usage',
      message: `run r1 is still running (pid ${process.pid} on ${hostname()}); wait for it, or stop it first`,
    });
  });

  it('takes over the lock of a coordinator that died, with a note saying why', async () => {
    const pid = await deadPid();
    const stale: RunLockInfo = { pid, host: hostname(), startedAt: 1, heartbeatAt: Date.now() };
    await writeFile(file, JSON.stringify(stale));
    expect(await liveRunLock(file)).toBeUndefined();
    const notes: string[] = [];
    await acquire({ runId: 'r1', onTakeover: (lock, why) => notes.push(`${lock.pid}: ${why}`) });
    expect(notes).toEqual([`${pid}: process ${pid} is gone`]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock from another host once its heartbeat is older than the stale limit', async () => {
    const now = Date.now();
    await writeFile(file, JSON.stringify({ pid: 4242, host: 'elsewhere', startedAt: 1, heartbeatAt: now - LOCK_STALE_MS - 1000 }));
    const notes: string[] = [];
    await acquire({ runId: 'r1', now: () => now, onTakeover: (_lock, why) => notes.push(why) });
    expect(notes).toEqual([`no heartbeat from process 4242 on elsewhere for ${Math.round((LOCK_STALE_MS + 1000) / 1000)} s`]);
  });

  it('removes its lock on release, so the run shows as not running', async () => {
    const lock = await acquire();
    await lock.release();
    expect(await liveRunLock(file)).toBeUndefined();
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
