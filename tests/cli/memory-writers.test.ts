import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cleanup, cliEnv, tempDir } from './helpers.js';

afterAll(cleanup);

const WRITERS = 16;
const ROUNDS = 20;

describe('concurrent `coordinate memory add`', () => {
  it(`loses nothing when ${WRITERS} processes add at once, ${ROUNDS} rounds in a row`, async () => {
    const root = await tempDir('coordinate-memory-writers-');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    const expected: string[] = [];
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const texts = Array.from({ length: WRITERS }, (_, writer) => `Writer ${writer} saw marker q${randomBytes(5).toString('hex')}z in round ${round}.`);
      expected.push(...texts);
      const results = await Promise.all(
        texts.map((text) => execa(process.execPath, [BIN, 'memory', 'add', text], { cwd: root, env: cliEnv(), extendEnv: false, reject: false, timeout: 120_000 })),
      );
      for (const result of results) if (result.exitCode !== 0) failures.push(`${result.exitCode}: ${result.stderr}`);
    }
    expect(failures).toEqual([]);
    const listed = await execa(process.execPath, [BIN, 'memory', 'list', '--all', '--json'], { cwd: root, env: cliEnv(), extendEnv: false, timeout: 60_000 });
    const bodies = new Set((JSON.parse(listed.stdout) as { body: string }[]).map((entry) => entry.body));
    expect(expected.filter((text) => !bodies.has(text))).toEqual([]);
  }, 900_000);
});
