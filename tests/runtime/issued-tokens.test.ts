import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../cli/helpers.js';
import { deterministic, RawClient, removeTempDirs, startRun, task, tempDir } from './helpers.js';

const clients: RawClient[] = [];
const runs: { stopper: AbortController; done: Promise<unknown> }[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const run of runs.splice(0)) {
    run.stopper.abort();
    await run.done.catch(() => undefined);
  }
  await removeTempDirs();
});

/** `coordinate token …` as a person runs it, with their config folder in `config`. */
const tokenCli = (config: string, ...args: string[]) =>
  execa(process.execPath, [BIN, 'token', ...args], { extendEnv: false, env: { PATH: process.env.PATH ?? '', HOME: config, XDG_CONFIG_HOME: config }, reject: false, timeout: 30_000 });

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function connect(url: string, token: string): Promise<RawClient> {
  const client = await RawClient.connect(url, bearer(token));
  clients.push(client);
  return client;
}

/** A run that takes workers by hand and the tokens issued into `config`, with one task that waits for a worker. */
async function runAccepting(config: string) {
  const stopper = new AbortController();
  const run = await startRun({
    repoRoot: await tempDir('coordinate-issued-'),
    runId: 'issued',
    goal: 'g',
    tasks: [task('wait')],
    workers: 0,
    executor: 'deterministic',
    issuedTokensFile: join(config, 'coordinate', 'tokens.json'),
    signal: stopper.signal,
    prepare: () => deterministic({}),
  });
  runs.push({ stopper, done: run.done });
  return run;
}

describe('tokens issued for workers started by hand', () => {
  it('are printed once and stored only as a hash in an owner-only file; list shows names, never tokens', async () => {
    const config = await tempDir('coordinate-config-');
    const created = await tokenCli(config, 'create', '--name', 'laptop', '--ttl', '1h');
    expect(created.exitCode).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^cot_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('"laptop" valid until');

    const file = join(config, 'coordinate', 'tokens.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(config, 'coordinate'))).mode & 0o077).toBe(0);
    expect(await readFile(file, 'utf8')).not.toContain(token.slice(4));

    const listed = await tokenCli(config, 'list');
    expect(listed.stdout).toMatch(/^laptop {2}created \S+ {2}expires \S+$/m);
    expect(listed.stdout).not.toContain(token.slice(4));

    const again = await tokenCli(config, 'create', '--name', 'laptop');
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('a token named "laptop" exists');
    const badTtl = await tokenCli(config, 'create', '--name', 'other', '--ttl', 'soon');
    expect(badTtl.stderr).toContain('--ttl: must be a duration such as 30m or 1h; got "soon"');
  });

  it('open the door of a running coordinator until revoked: then 401, also for a reconnect', async () => {
    const config = await tempDir('coordinate-config-');
    const token = (await tokenCli(config, 'create', '--name', 'laptop')).stdout.trim();
    const { url } = await runAccepting(config);

    const first = await connect(url, token);
    const workerId = await first.hello();
    first.close();
    // A reconnect with the same token, as the same worker, is that worker.
    const back = await connect(url, token);
    expect(await back.hello(workerId)).toBe(workerId);
    back.close();

    expect((await tokenCli(config, 'revoke', 'laptop')).stdout).toContain('Revoked "laptop"');
    await expect(RawClient.connect(url, bearer(token))).rejects.toMatchObject({ status: 401 });
    expect((await tokenCli(config, 'revoke', 'laptop')).stderr).toContain('no token is named "laptop"');
  });

  it('is refused once expired, and a token the person never issued is refused', async () => {
    const config = await tempDir('coordinate-config-');
    const token = (await tokenCli(config, 'create', '--name', 'brief', '--ttl', '1ms')).stdout.trim();
    const { url } = await runAccepting(config);
    await expect(RawClient.connect(url, bearer(token))).rejects.toMatchObject({ status: 401 });
    expect((await tokenCli(config, 'list')).stdout).toContain('brief  created');
    expect((await tokenCli(config, 'list')).stdout).toContain('EXPIRED');
    await expect(RawClient.connect(url, bearer(`cot_${'A'.repeat(43)}`))).rejects.toMatchObject({ status: 401 });
  });

  it('are each their own credential: a worker id joined with one token cannot be claimed with another', async () => {
    const config = await tempDir('coordinate-config-');
    const laptop = (await tokenCli(config, 'create', '--name', 'laptop')).stdout.trim();
    const desktop = (await tokenCli(config, 'create', '--name', 'desktop')).stdout.trim();
    const { url } = await runAccepting(config);

    const owner = await connect(url, laptop);
    const workerId = await owner.hello();
    const impostor = await connect(url, desktop);
    impostor.send({ type: 'hello', pid: process.pid, version: 'test', roles: ['research'], sharedFs: false, workerId });
    expect((await impostor.next('error')).error.message).toContain('a worker id belongs to the token it first joined with');
    // Its own hello, under an id of its own, is welcome.
    const other = await connect(url, desktop);
    expect(await other.hello()).not.toBe(workerId);
  });
});
