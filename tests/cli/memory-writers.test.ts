import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, cleanup, cliEnv, tempDir } from './helpers.js';

const WRITERS = 16;
const ROUNDS = 20;
/** A `memory add` waits this long for a lock whose holder commits nothing (STALLED_LOCK_MS), then gives up. */
const STALLED_LOCK_S = 30;
const HOLDER = fileURLToPath(new URL('./fixtures/memory-lock-holder.mjs', import.meta.url));

const holders: ResultPromise[] = [];
afterEach(async () => {
  for (const holder of holders.splice(0)) holder.kill('SIGKILL');
  await cleanup();
});

async function repoWithMemory(): Promise<string> {
  const root = await tempDir('coordinate-memory-writers-');
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
  await mkdir(join(root, '.coordinate'));
  return root;
}

const memory = (root: string, args: string[]) =>
  execa(process.execPath, [BIN, 'memory', ...args], { cwd: root, env: cliEnv(), extendEnv: false, reject: false, timeout: 600_000 });

const bodies = async (root: string) => {
  const listed = await memory(root, ['list', '--all', '--json']);
  expect(listed.exitCode, listed.stderr).toBe(0);
  return new Set((JSON.parse(listed.stdout) as { body: string }[]).map((entry) => entry.body));
};

/** Another process on the memory database (see the fixture), resolved once it holds the write lock (wrapped: a process is a thenable). */
async function startHolder(root: string, args: string[]): Promise<{ process: ResultPromise }> {
  const holder = execa(process.execPath, [HOLDER, join(root, '.coordinate', 'memory.db'), ...args], { reject: false, timeout: 300_000, buffer: false });
  holders.push(holder);
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    void holder.then((ended) => reject(new Error(`the lock holder ended first: ${String(ended.stderr)}`)));
  });
  return { process: holder };
}

describe('concurrent `coordinate memory add`', () => {
  it(`loses nothing when ${WRITERS} processes add at once, ${ROUNDS} rounds in a row`, async () => {
    const root = await repoWithMemory();
    const expected: string[] = [];
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const texts = Array.from({ length: WRITERS }, (_, writer) => `Writer ${writer} saw marker q${randomBytes(5).toString('hex')}z in round ${round}.`);
      expected.push(...texts);
      const results = await Promise.all(texts.map((text) => memory(root, ['add', text])));
      for (const result of results) if (result.exitCode !== 0) failures.push(`${result.exitCode}: ${result.stderr}`);
    }
    expect(failures).toEqual([]);
    const stored = await bodies(root);
    expect(expected.filter((text) => !stored.has(text))).toEqual([]);
  }, 900_000);

  it(`waits its turn while another process keeps the lock busy committing for longer than ${STALLED_LOCK_S} s, and lands`, async () => {
    const root = await repoWithMemory();
    expect((await memory(root, ['add', 'The first entry creates the database.'])).exitCode).toBe(0);
    const { process: neighbour } = await startHolder(root, ['busy', String((STALLED_LOCK_S + 10) * 1000)]);
    const result = await memory(root, ['add', 'Written while a neighbour keeps committing.']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await neighbour).exitCode).toBe(0);
    expect(await bodies(root)).toContain('Written while a neighbour keeps committing.');
  }, 300_000);

  it('fails with exit 1 and says nothing was written when the lock is held by a process that commits nothing', async () => {
    const root = await repoWithMemory();
    expect((await memory(root, ['add', 'The first entry creates the database.'])).exitCode).toBe(0);
    const { process: holder } = await startHolder(root, ['hold']);
    const result = await memory(root, ['add', 'Written while the lock is stuck.']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/memory\.db stayed locked by another process that committed nothing for 30 s; nothing was written\. Try again/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    holder.kill('SIGKILL');
    await holder;
    expect(await bodies(root)).not.toContain('Written while the lock is stuck.');
  }, 300_000);
});
