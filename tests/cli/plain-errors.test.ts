import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoScenario } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';
import { demoPlan } from './scenarios.js';

afterEach(cleanup);

/** zod's own wording, which a person must never be shown. */
const ZOD_WORDING = /Invalid input|Invalid option|Too small|Too big|Unrecognized key|expected|received/;

describe('a refused input is explained in plain words, never in zod\'s', () => {
  it('names the task, the field, the roles there are and the role written in a plan file', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    const file = await writePlanFile(repo, demoPlan());
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^- Role: \w+$/m, '- Role: build'));
    const result = await coordinate(['run', file, '--yes'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/task "[\w-]+": role: must be one of research, implement, verify; got "build"/);
    expect(result.stderr).not.toMatch(ZOD_WORDING);
    expect(server.requests).toHaveLength(0);
  });

  it('names the key and the value of a repository config that has a number for a command', async () => {
    const repo = await sampleRepo({ commands: { test: 42 }, budgets: { maxCots: 1 } });
    const server = await scriptedServer(demoScenario());
    const file = await writePlanFile(repo, demoPlan());
    const result = await coordinate(['run', file, '--yes'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('`commands.test`: must be a command (text, not empty); got 42');
    expect(result.stderr).toContain('`budgets`: unknown key "maxCots" (known keys: maxCostUsd, maxTokens, timeoutMs, maxTurns)');
    expect(result.stderr).not.toMatch(ZOD_WORDING);
    expect(server.requests).toHaveLength(0);
  });

  it('names the flag, what it takes and the value given', async () => {
    const repo = await sampleRepo();
    const file = await writePlanFile(repo, demoPlan());
    const workers = await coordinate(['run', file, '--yes', '--workers', 'four'], { cwd: repo, env: cliEnv() });
    expect(workers.exitCode).toBe(2);
    expect(workers.stderr).toContain('--workers: must be a whole number from 1 to 64; got "four"');
    const cost = await coordinate(['run', file, '--yes', '--max-cost', '0'], { cwd: repo, env: cliEnv() });
    expect(cost.exitCode).toBe(2);
    expect(cost.stderr).toContain('--max-cost: must be an amount in USD above 0; got 0');
    for (const result of [workers, cost]) expect(result.stderr).not.toMatch(ZOD_WORDING);
  });

  it('names the flag of every command whose flags are checked as they are read', async () => {
    const cwd = await sampleRepo();
    const refused: [string[], string][] = [
      [['resume', '--port', '99999'], '--port: must be a port number from 0 to 65535; got "99999"'],
      [['demo', '--latency', 'fast'], '--latency: must be a whole number of milliseconds, e.g. 0 or 1500'],
      [['watch', 'log', '--last', 'many'], '--last: must be a number of receipts'],
      [['steer', '--role', 'boss', 'a note'], '--role: must be one of research, implement, verify; got "boss"'],
      [['token', 'create', '--name', 'bad name'], '--name: must be letters, digits'],
    ];
    for (const [args, message] of refused) {
      const result = await coordinate(args, { cwd, env: cliEnv() });
      expect(result.exitCode, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`coordinate: ${message}`);
      expect(result.stderr).not.toMatch(ZOD_WORDING);
    }
  });

  it('says what is wrong with a memory file to import', async () => {
    const repo = await sampleRepo();
    const file = join(repo, 'memory.json');
    await writeFile(file, JSON.stringify({ format: 'coordinate-memory', version: 2, exportedAt: 0, entries: [] }));
    const result = await coordinate(['memory', 'import', file], { cwd: repo, env: cliEnv() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('not a coordinate memory export: `version`: must be 1; got 2');
    expect(result.stderr).not.toMatch(ZOD_WORDING);
  });
});
