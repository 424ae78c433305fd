import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, cliEnv, coordinate, isAlive, sampleRepo, waitFor } from '../cli/helpers.js';
import { killWatcher, receipts, ticks, watchDir, watcherPid } from './helpers.js';

const repos: string[] = [];
afterEach(async () => {
  for (const repo of repos.splice(0)) await killWatcher(repo);
  await cleanup();
});

describe('coordinate watch --detach', () => {
  it('survives its terminal closing, refuses a second watcher, and stops cleanly on `watch stop`', async () => {
    const repo = await sampleRepo();
    repos.push(repo);
    const env = cliEnv(undefined, { COORDINATE_WATCH_DESKTOP: '0' });
    // The "terminal": a shell in a process group of its own that starts the daemon and stays open.
    const terminal = execa('/bin/sh', ['-c', `"${process.execPath}" "${BIN}" watch --detach --every 200ms; echo started; sleep 60`], {
      cwd: repo,
      env,
      extendEnv: false,
      detached: true,
      reject: false,
      timeout: 90_000,
    });
    try {
      const pid = await waitFor(() => watcherPid(repo), 'the pidfile', 30_000);
      expect(isAlive(pid)).toBe(true);
      // Closing the terminal hangs up its whole process group.
      process.kill(-terminal.pid!, 'SIGHUP');
      await terminal;
      const before = (await receipts(repo)).length;
      await ticks(repo, before + 3);
      expect(isAlive(pid)).toBe(true);

      const second = await coordinate(['watch', '--detach', '--every', '200ms'], { cwd: repo, env });
      expect(second.exitCode).toBe(2);
      expect(second.stderr).toContain(`a watcher already runs for this repository (pid ${pid})`);
      const foreground = await coordinate(['watch'], { cwd: repo, env });
      expect(foreground.exitCode).toBe(2);
      expect(await watcherPid(repo)).toBe(pid);

      const status = await coordinate(['watch', 'status'], { cwd: repo, env });
      expect(status.exitCode).toBe(0);
      expect(status.stdout).toContain(`pid ${pid}, every 200ms`);
      expect(status.stdout).toMatch(/Last tick:\n.*tick \d+ \(interval/);

      const stop = await coordinate(['watch', 'stop'], { cwd: repo, env });
      expect(stop.exitCode, stop.stderr).toBe(0);
      expect(stop.stdout).toBe(`Stopped the watcher (pid ${pid}).`);
      expect(isAlive(pid)).toBe(false);
      expect(await stat(join(watchDir(repo), 'watch.pid')).catch(() => undefined)).toBeUndefined();
      const after = await coordinate(['watch', 'status'], { cwd: repo, env });
      expect(after.exitCode).toBe(1);
      expect(after.stdout).toMatch(/^No watcher runs for /);
      const log = await coordinate(['watch', 'log', '--last', '2'], { cwd: repo, env });
      expect(log.stdout.match(/^\S+ \S+ {2}tick \d+/gm)).toHaveLength(2);
    } finally {
      if (terminal.pid !== undefined && isAlive(terminal.pid)) process.kill(-terminal.pid, 'SIGKILL');
    }
  }, 150_000);
});

describe('coordinate watch, bad input', () => {
  it('refuses an interval that is not a duration, naming the option', async () => {
    const repo = await sampleRepo();
    const result = await coordinate(['watch', '--every', 'soon'], { cwd: repo, env: cliEnv() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^coordinate: --every: must be a duration from 100ms to 24h such as 30s, 5m or 1h; got "soon"/);
  });
});
