import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { safeCommandEnv } from './command-env.js';
import { runCommand } from './run-command.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'run-command-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A killed process whose parent is gone stays a zombie until init reaps it; a zombie runs nothing. */
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return true;
  }
};

/** Polls until `condition` holds, failing after a bounded number of tries. */
async function eventually(condition: () => boolean, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('condition never held');
}

describe('runCommand', () => {
  it('runs a shell line in the given folder and reports its exit code and output', async () => {
    const result = await runCommand('pwd; echo to-stderr >&2; exit 3', { cwd: dir, timeoutMs: 20_000 });
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain(await realpath(dir));
    expect(result.output).toContain('to-stderr');
    expect(result.timedOut).toBe(false);
  });

  it('kills the whole process tree when the timeout expires', async () => {
    const pidfile = path.join(dir, 'pidfile');
    const result = await runCommand(`sleep 60 & echo $! > ${pidfile}; echo $$ >> ${pidfile}; wait`, { cwd: dir, timeoutMs: 1000 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBe(137);
    expect(result.output).toContain('timed out after 1000 ms');
    const pids = (await readFile(pidfile, 'utf8')).trim().split('\n').map(Number);
    expect(pids).toHaveLength(2);
    await eventually(() => pids.every((pid) => !isAlive(pid)));
  });

  it('kills what a command leaves running in the background once it exits', async () => {
    const pidfile = path.join(dir, 'pidfile');
    const result = await runCommand(`sleep 60 > /dev/null 2>&1 & echo $! > ${pidfile}`, { cwd: dir, timeoutMs: 20_000 });
    expect(result.exitCode).toBe(0);
    const pid = Number((await readFile(pidfile, 'utf8')).trim());
    await eventually(() => !isAlive(pid));
  });

  it('stops the command when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = runCommand('echo started; sleep 60', { cwd: dir, timeoutMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    expect(result.aborted).toBe(true);
    expect(result.output).toContain('cancelled');
  });

  it('cuts long output in the middle and says how much was cut', async () => {
    const result = await runCommand('echo FIRST-LINE; seq 1 100000; echo LAST-LINE', { cwd: dir, timeoutMs: 20_000, maxOutputBytes: 2000 });
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('FIRST-LINE');
    expect(result.output).toContain('LAST-LINE');
    const note = /output truncated: (\d+) of (\d+) bytes cut/.exec(result.output);
    expect(note).not.toBeNull();
    expect(Number(note![2])).toBeGreaterThan(500_000);
    expect(Number(note![1])).toBe(Number(note![2]) - 2000);
    expect(result.output.length).toBeLessThan(2200);
  });

  it('never passes API keys or tokens to the command', async () => {
    const env = safeCommandEnv({
      PATH: process.env.PATH,
      HOME: dir,
      ANTHROPIC_API_KEY: 'canary-anthropic-key-1234',
      COORDINATE_TOKEN: 'canary-coordinate-token-1234',
      GITHUB_TOKEN: 'canary-github-token-1234',
      DB_PASSWORD: 'canary-password-1234',
      HARMLESS: 'stays-out-too',
    });
    const result = await runCommand('env', { cwd: dir, timeoutMs: 20_000, env: { ...env, EXTRA_API_KEY: 'canary-extra-key-1234', WANTED: 'yes' } });
    expect(result.exitCode).toBe(0);
    expect(result.output).not.toContain('canary');
    expect(result.output).not.toContain('stays-out-too');
    expect(result.output).toContain('WANTED=yes');
    expect(result.output).toContain('CI=1');
    expect(result.output).toContain('TERM=dumb');
    expect(result.output).toContain(`HOME=${dir}`);
  });

  it('keeps the canary out even when the environment is left to its default', async () => {
    process.env.ANTHROPIC_API_KEY = 'canary-default-key-5678';
    process.env.COORDINATE_TOKEN = 'canary-default-token-5678';
    try {
      const result = await runCommand('env', { cwd: dir, timeoutMs: 20_000 });
      expect(result.output).not.toContain('canary');
      expect(result.output).toContain('PATH=');
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      delete process.env.COORDINATE_TOKEN;
    }
  });

  it('reports a command that cannot start instead of throwing', async () => {
    const result = await runCommand('true', { cwd: path.join(dir, 'missing'), timeoutMs: 20_000 });
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain('could not start');
  });
});
