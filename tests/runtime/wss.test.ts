import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deterministic, killWorkersByHand, removeTempDirs, startRun, startWorkerByHand, task, tempDir, TOKEN } from './helpers.js';

const stoppers: AbortController[] = [];
afterEach(async () => {
  await killWorkersByHand();
  for (const stopper of stoppers.splice(0)) stopper.abort();
  await removeTempDirs();
});

/** A private CA and a server certificate for 127.0.0.1 signed by it, made with openssl in `dir`. */
async function privateCa(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 60_000 });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=coordinate test CA');
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'san.ext');
  // The certificate file carries its chain, as --tls-cert asks: spawned workers trust that file.
  await writeFile(file('fullchain.pem'), (await readFile(file('server.pem'), 'utf8')) + (await readFile(file('ca.pem'), 'utf8')));
  return { ca: file('ca.pem'), cert: file('fullchain.pem'), key: file('server.key') };
}

describe('wss://', () => {
  it('a worker trusting the private CA with --ca joins and serves a task; without --ca it is refused, naming the certificate problem', async () => {
    const dir = await tempDir('coordinate-tls-');
    const { ca, cert, key } = await privateCa(dir);
    const stopper = new AbortController();
    stoppers.push(stopper);
    const { url, done } = await startRun({
      repoRoot: await tempDir(),
      runId: 'tls',
      goal: 'g',
      tasks: [task('secure')],
      workers: 0,
      executor: 'deterministic',
      token: TOKEN,
      tls: { certFile: cert, keyFile: key },
      signal: stopper.signal,
      prepare: () => deterministic({}),
    });
    expect(url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+$/);

    const untrusting = await startWorkerByHand(url, dir, { COORDINATE_TOKEN: TOKEN });
    expect(untrusting.exitCode).toBe(1);
    expect(untrusting.stderr).toMatch(/the coordinator's certificate is not trusted \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE): /);
    expect(untrusting.stderr).toContain('pass that CA');

    const trusting = startWorkerByHand(url, dir, { COORDINATE_TOKEN: TOKEN }, '--ca', ca);
    const outcome = await done;
    expect(outcome.outcome).toBe('succeeded');
    expect(outcome.state.tasks.secure?.status).toBe('succeeded');
    const served = await trusting;
    expect(served.stderr).toContain('"msg":"joined the run"');
    expect(served.exitCode).toBe(0);
  }, 120_000);

  it('spawned workers join a wss:// run, trusting its certificate file', async () => {
    const dir = await tempDir('coordinate-tls-');
    const { cert, key } = await privateCa(dir);
    const outcome = await (
      await startRun({
        repoRoot: await tempDir(),
        runId: 'tls-spawned',
        goal: 'g',
        tasks: [task('a'), task('b', ['a'])],
        workers: 1,
        executor: 'deterministic',
        tls: { certFile: cert, keyFile: key },
        prepare: () => deterministic({}),
      })
    ).done;
    expect(outcome.outcome).toBe('succeeded');
  }, 120_000);

  it('names the file when the certificate is missing or not PEM', async () => {
    const dir = await tempDir('coordinate-tls-');
    await writeFile(join(dir, 'cert.pem'), 'not a certificate\n');
    await writeFile(join(dir, 'key.pem'), '-----BEGIN PRIVATE KEY-----\n');
    const run = (certFile: string) =>
      startRun({ repoRoot: dir, runId: 'bad-tls', goal: 'g', tasks: [task('x')], workers: 0, executor: 'deterministic', tls: { certFile, keyFile: join(dir, 'key.pem') } });
    await expect(run(join(dir, 'cert.pem'))).rejects.toThrow(`--tls-cert ${join(dir, 'cert.pem')}: not a PEM file`);
    await expect(run(join(dir, 'missing.pem'))).rejects.toThrow(`--tls-cert ${join(dir, 'missing.pem')}: no such file`);
  });
});
