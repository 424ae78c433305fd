import { mkdir, open, readFile } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { WatchError } from './errors.js';
import { isAlive, readWatchLock } from './lock.js';
import type { WatchPaths } from './paths.js';

const START_TIMEOUT_MS = 15_000;

/**
 * Starts the watcher as a daemon: the same CLI with the same arguments minus `--detach`, in a
 * session of its own (so closing the terminal sends it no SIGHUP), with its output appended to
 * `output.log`. Resolves with its pid once it holds the lock; a watcher that dies first is
 * WatchError('watch_start_failed') quoting the end of its output.
 */
export async function startDetached(paths: WatchPaths, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const running = await readWatchLock(paths.pidfile);
  if (running) throw new WatchError('watch_running', `a watcher already runs for this repository (pid ${running.pid}); stop it with \`coordinate watch stop\` first`, { pid: running.pid });
  await mkdir(paths.dir, { recursive: true });
  const output = await open(paths.output, 'a');
  const child = spawn(process.execPath, [process.argv[1]!, ...args], { detached: true, stdio: ['ignore', output.fd, output.fd], env });
  await output.close();
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  const pid = child.pid;
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (pid !== undefined && !exited && isAlive(pid) && Date.now() < deadline) {
    if ((await readWatchLock(paths.pidfile))?.pid === pid) return pid;
    await sleep(50);
  }
  if (pid !== undefined && isAlive(pid)) process.kill(pid, 'SIGKILL');
  const tail = (await readFile(paths.output, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-5).join('\n');
  throw new WatchError('watch_start_failed', `the watcher did not start${tail ? `:\n${tail}` : ''}`, { output: paths.output });
}

/**
 * Stops the running watcher: SIGTERM, which it answers by finishing the tick under way and
 * releasing its lock; SIGKILL if it is still there after `graceMs`. Resolves with the pid
 * stopped, or undefined when no watcher was running.
 */
export async function stopWatcher(paths: WatchPaths, graceMs = 20_000): Promise<number | undefined> {
  const running = await readWatchLock(paths.pidfile);
  if (!running) return undefined;
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(running.pid) && Date.now() < deadline) await sleep(50);
  if (isAlive(running.pid)) process.kill(running.pid, 'SIGKILL');
  return running.pid;
}
