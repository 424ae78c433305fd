import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { demoScenario } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, tempDir } from './helpers.js';

afterEach(cleanup);

/** A loopback port that nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('nothing is spent before every free check passes', () => {
  it('refuses a mistyped command with the command it meant, and sends no request', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    const env = cliEnv(server);
    const resum = await coordinate(['resum', '--yes'], { cwd: repo, env });
    expect(resum.exitCode).toBe(2);
    expect(resum.stderr).toContain('did you mean `coordinate resume`?');
    expect(resum.stderr).toContain('coordinate --task "resum"');
    const help = await coordinate(['help', '--yes'], { cwd: repo, env });
    expect(help.exitCode).toBe(2);
    expect(help.stderr).toContain('did you mean `coordinate --help`?');
    const runz = await coordinate(['runz', '--yes'], { cwd: repo, env });
    expect(runz.exitCode).toBe(2);
    expect(runz.stderr).toContain('did you mean `coordinate run` or `coordinate runs`?');
    const word = await coordinate(['refactor', '--yes'], { cwd: repo, env });
    expect(word.exitCode).toBe(2);
    expect(word.stderr).toMatch(/"refactor" is a single word/);
    expect(server.requests).toHaveLength(0);
  });

  it('plans a one-word task when --task says it is one', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(demoScenario());
    await coordinate(['--task', 'help', '--yes'], { cwd: repo, env: cliEnv(server) });
    expect(server.requests.filter((r) => r.route === 'planner').length).toBeGreaterThan(0);
  });

  it('exits 2 outside a git repository and with a --host this machine does not have, before any request', async () => {
    const server = await scriptedServer(demoScenario());
    const env = cliEnv(server);
    const outside = await coordinate(['Make the failing test pass', '--yes'], { cwd: await tempDir(), env });
    expect(outside.exitCode).toBe(2);
    expect(outside.stderr).toMatch(/is not inside a git repository/);
    const repo = await sampleRepo();
    const host = await coordinate(['Make the failing test pass', '--yes', '--host', 'not-an-ip'], { cwd: repo, env });
    expect(host.exitCode).toBe(2);
    expect(host.stderr).toContain('workers could not connect at not-an-ip');
    expect(server.requests).toHaveLength(0);
  });

  it('names an unreachable base URL and exits 5; a malformed one exits 2; a missing key exits 2', async () => {
    const repo = await sampleRepo();
    const url = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env: cliEnv(undefined, { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: url }) });
    expect(unreachable.exitCode).toBe(5);
    expect(unreachable.stderr).toContain(`the model API at ${url} cannot be reached: the connection was refused`);
    expect(unreachable.stderr).toMatch(/hint: check that ANTHROPIC_BASE_URL names a running server/);
    expect(unreachable.stdout).not.toContain('Planning');

    const malformed = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env: cliEnv(undefined, { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'localhost:8080' }) });
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toContain('ANTHROPIC_BASE_URL "localhost:8080" is not an http or https URL');

    const keyless = await coordinate(['Make the failing test pass', '--yes'], { cwd: repo, env: cliEnv(undefined, { ANTHROPIC_BASE_URL: url }) });
    expect(keyless.exitCode).toBe(2);
    expect(keyless.stderr).toContain('No API key');
  });
});
