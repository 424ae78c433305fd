import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { fixRoundScenario } from '@coordinate/testkit';
import { BIN, cleanup, cliEnv, runDir, runIds, sampleRepo, scriptedServer, trackPids, waitFor, workerPids, writePlanFile } from './helpers.js';
import { failingVerifyPlan, failingVerifyScenario, fixRoundPlan, revisableScenario } from './scenarios.js';

let stopPty: (() => void) | undefined;
afterEach(async () => {
  stopPty?.();
  stopPty = undefined;
  await cleanup();
});

/** The CLI in a real terminal (a pty from `script`) of 120 columns; its screen output as it arrives. */
function inTerminal(args: string[], cwd: string, env: Record<string, string>) {
  const command = `stty cols 120 rows 40; ${process.execPath} ${BIN} ${args.map((arg) => `'${arg}'`).join(' ')}`;
  const child = execa('script', ['-qefc', command, '/dev/null'], { cwd, env, extendEnv: false, reject: false, timeout: 150_000 });
  stopPty = () => child.kill('SIGKILL');
  const screen = { output: '' };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (screen.output += chunk));
  return { child, screen };
}

describe('the live panel in a terminal', () => {
  it('counts a fix round’s tasks in the same panel: the total grows, the clock runs on, no second run header', async () => {
    const repo = await sampleRepo({ fixRounds: 1 });
    const server = await scriptedServer(fixRoundScenario());
    const env = cliEnv(server);
    const { child, screen } = inTerminal(['run', await writePlanFile(repo, fixRoundPlan), '--yes', '--workers', '1'], repo, env);
    const result = await child;
    const [runId] = await runIds(repo, env);
    trackPids(await workerPids(join(runDir(repo, runId!), 'journal.jsonl')));
    const text = stripVTControlCharacters(screen.output);
    expect(result.exitCode, text).toBe(0);

    expect(text).toContain('+ 2 tasks added (fix round 1 after tests): tests-fix1, tests-re1');
    expect(text.match(/Starting run/g)).toHaveLength(1);
    const bars = [...text.matchAll(/([█░]+) (\d+)\/(\d+) tasks(?: \((\d+) added\))?.* · (?:(\d+)m)?(\d+)s\r?$/gm)];
    expect(bars.length).toBeGreaterThan(0);
    // the last frame counts all four tasks, two of them added
    expect(bars.at(-1)!.slice(2, 5)).toEqual(['4', '4', '2']);
    for (const [, bar, done, total] of bars) {
      expect(Number(done)).toBeLessThanOrEqual(Number(total));
      // full only when every task is done
      expect(bar!.includes('░')).toBe(Number(done) < Number(total));
    }
    const seconds = bars.map((bar) => Number(bar[5] ?? 0) * 60 + Number(bar[6]));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
  }, 240_000);

  it('shows a retried model request as a retry, and the bar stays short of full until the task is done', async () => {
    // no fix round: the one task's verdict ends the run
    const repo = await sampleRepo({ fixRounds: 0 });
    // the first two requests of the task are turned away as overloaded; the SDK tries again
    const server = await scriptedServer(failingVerifyScenario(), { sequence: [{ kind: 'overloaded' }, { kind: 'overloaded' }] });
    const env = cliEnv(server);
    const { child, screen } = inTerminal(['run', await writePlanFile(repo, failingVerifyPlan), '--yes'], repo, env);
    const result = await child;
    const [runId] = await runIds(repo, env);
    trackPids(await workerPids(join(runDir(repo, runId!), 'journal.jsonl')));
    const text = stripVTControlCharacters(screen.output);
    // the verification really fails (npm test fails on this repository): exit 1, after the retries
    expect(result.exitCode, text).toBe(1);
    expect(server.requests.filter((r) => r.fault === 'overloaded')).toHaveLength(2);
    expect(text).toMatch(/… run-tests: model request retried in \S+ \S+ \(attempt 2, overloaded/);
    const bars = [...text.matchAll(/([█░]+) (\d+)\/(\d+) tasks/g)];
    expect(bars.length).toBeGreaterThan(0);
    for (const [, bar, done, total] of bars) expect(bar!.includes('░')).toBe(Number(done) < Number(total));
    // while the request was being retried nothing had finished: those frames show 0 of 1
    const retryAt = text.indexOf('model request retried');
    const before = bars.filter((bar) => bar.index < retryAt);
    for (const bar of before) expect(bar[2]).toBe('0');
  }, 240_000);

  it('shows the planner thinking: a line with the elapsed time that moves until the plan arrives', async () => {
    const repo = await sampleRepo();
    const scenario = revisableScenario();
    const thinking = { ...scenario, planner: scenario.planner!.map((turn) => ({ ...turn, delayMs: 2500 })) };
    const server = await scriptedServer(thinking);
    const { child, screen } = inTerminal(['Make the failing test pass'], repo, cliEnv(server));
    await waitFor(() => screen.output.includes('Run this plan?'), 'the approval prompt', 60_000);
    child.stdin.write('q');
    const result = await child;
    expect(result.exitCode).toBe(3);
    const text = stripVTControlCharacters(screen.output);
    // the same line, redrawn while the planner thinks, counts up from 0s to at least 2s
    const shown = [...text.matchAll(/Planning with \S+… (\d+)s/g)].map((match) => Number(match[1]));
    expect(shown[0]).toBe(0);
    expect(Math.max(...shown)).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('keeps plain lines without a terminal: the planning line is printed once, without escapes', async () => {
    const repo = await sampleRepo();
    const scenario = revisableScenario();
    const server = await scriptedServer({ ...scenario, planner: scenario.planner!.map((turn) => ({ ...turn, delayMs: 1500 })) });
    const result = await execa(process.execPath, [BIN, 'plan', 'Make the failing test pass'], { cwd: repo, env: cliEnv(server), extendEnv: false, reject: false, timeout: 60_000 });
    expect(result.exitCode, String(result.stderr)).toBe(0);
    expect(String(result.stderr).match(/Planning with \S+…\n/g)).toHaveLength(1);
    expect(String(result.stderr)).not.toContain('\x1b');
  }, 120_000);
});
