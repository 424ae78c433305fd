import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoScenario } from '@coordinate/testkit';
import { BIN, cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, tempDir, writePlanFile } from './helpers.js';
import { demoPlan } from './scenarios.js';

afterEach(cleanup);

describe('the coordinate command line', () => {
  it('prints --help for every command and its version', async () => {
    const cwd = await tempDir();
    const env = cliEnv();
    const commands = [[], ['plan'], ['run'], ['resume'], ['runs'], ['show'], ['demo'], ['worker'], ['memory'], ['trust']];
    const results = await Promise.all(commands.map((command) => coordinate([...command, '--help'], { cwd, env })));
    results.forEach((result, i) => {
      expect(result.exitCode, `coordinate ${commands[i]!.join(' ')} --help`).toBe(0);
      expect(result.stdout).toMatch(/^Usage: coordinate/);
    });
    expect(results[0]!.stdout).toContain('Exit codes:');
    for (const option of ['--workers', '--model', '--yes', '--json', '--report-json', '--junit', '--max-cost', '--max-tokens', '--timeout', '--apply', '--trust-repo-config']) {
      expect(results[0]!.stdout).toContain(option);
    }
    const version = await coordinate(['--version'], { cwd, env });
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('ends quietly when the reader of its output goes away, as in `coordinate --help | head -1`', async () => {
    const cwd = await tempDir();
    const child = spawn(process.execPath, [BIN, '--help'], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(code).toBe(0);
  });

  it('exits 2 with one clear line for an unknown option or a bad value, never a stack trace', async () => {
    const cwd = await tempDir();
    const unknown = await coordinate(['runs', '--colour'], { cwd, env: cliEnv() });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/^coordinate: unknown option '--colour'/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    const repo = await sampleRepo();
    const plan = await writePlanFile(repo, demoPlan());
    const badValue = await coordinate(['run', plan, '--workers', 'four'], { cwd: repo, env: cliEnv() });
    expect(badValue.exitCode).toBe(2);
    expect(badValue.stderr).toMatch(/^coordinate: --workers: .*"four"/);

    const halfTls = await coordinate(['run', plan, '--host', '127.0.0.1', '--tls-cert', 'cert.pem'], { cwd: repo, env: cliEnv() });
    expect(halfTls.exitCode).toBe(2);
    expect(halfTls.stderr).toContain('coordinate: --tls-cert: takes --tls-cert and --tls-key together');
  });

  it('exits 2 naming the bad key of the project config and what it expects', async () => {
    const repo = await sampleRepo({ workers: 'many' });
    const plan = await writePlanFile(repo, demoPlan());
    const result = await coordinate(['run', plan], { cwd: repo, env: cliEnv() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('.coordinate/config.json');
    expect(result.stderr).toContain('workers');
    expect(result.stderr).toMatch(/whole number/);
  });

  it('exits 2 with the line numbers of a broken plan file', async () => {
    const repo = await sampleRepo();
    const file = join(repo, 'plan.md');
    await writePlanFile(repo, demoPlan());
    await writeFile(file, (await readFile(file, 'utf8')).replace('- Role: implement', '- Role: builder'));
    const result = await coordinate(['run', 'plan.md', '--yes'], { cwd: repo, env: cliEnv() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/line \d+: .*builder/);
  });

  it('refuses to plan without a terminal and without --yes, before asking the model anything', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    const result = await coordinate(['Make the failing test pass'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('there is no terminal to ask in');
    expect(result.stderr).toContain('--yes');
    expect(server.requests).toHaveLength(0);
  });

  it('exits 4 when the planner request alone could pass --max-cost, without sending it', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    const result = await coordinate(['Make the failing test pass', '--yes', '--max-cost', '0.000001'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain('maxCostUsd');
    expect(server.requests).toHaveLength(0);
  });
});
