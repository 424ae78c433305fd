import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeLogger, createLogger } from './logger.js';

const CANARY = 'canary-secret-7f3a9c1e';
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-logging-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function readLines(file: string): Promise<Record<string, unknown>[]> {
  const text = await fs.readFile(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('never writes a secret, whether in a message, a field, a nested header or an error', async () => {
    const file = path.join(dir, 'logs', 'nested', 'coordinator.log');
    const logger = createLogger({ file, name: 'coordinator', secrets: [CANARY] });
    logger.info(`connecting with ${CANARY}`);
    logger.info({ note: CANARY, token: 'tok-unlisted-123' }, 'object field');
    logger.warn({ request: { headers: { authorization: `Bearer ${CANARY}`, 'x-api-key': 'unlisted-key-9', 'x-trace': CANARY } } }, 'headers');
    logger.error({ err: new Error(`request failed: ${CANARY}`) }, 'error object');
    logger.error(new Error(`thrown with ${CANARY}`));
    logger.info({ deep: { a: { b: { c: [`x ${CANARY} y`] } } } }, 'deep');
    await closeLogger(logger);

    const text = await fs.readFile(file, 'utf8');
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('tok-unlisted-123');
    expect(text).not.toContain('unlisted-key-9');
    const lines = await readLines(file);
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({ name: 'coordinator', level: 30, msg: 'connecting with [REDACTED]' });
    expect(lines[1]).toMatchObject({ note: '[REDACTED]', token: '[REDACTED]' });
    expect(lines[2]).toMatchObject({ request: { headers: { authorization: '[REDACTED]', 'x-trace': '[REDACTED]' } } });
    expect(lines[3]).toMatchObject({ err: { message: 'request failed: [REDACTED]' } });
  });

  it('appends to an existing log and honours the level', async () => {
    const file = path.join(dir, 'worker.log');
    await fs.writeFile(file, '{"earlier":true}\n');
    const logger = createLogger({ file, name: 'w1', level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    await closeLogger(logger);
    const lines = await readLines(file);
    expect(lines.map((line) => line.msg ?? line.earlier)).toEqual([true, 'shown']);
  });

  it('keeps the last lines of a process that exits right after logging', async () => {
    const file = path.join(dir, 'exit.log');
    const script = `
      import { createLogger } from '@coordinate/logging';
      const logger = createLogger({ file: process.argv[1], name: 'child' });
      for (let i = 0; i < 500; i++) logger.info({ i }, 'line');
      process.exit(3);
    `;
    const run = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, file], {
      cwd: repoRoot,
      timeout: 20_000,
    });
    await expect(run).rejects.toMatchObject({ code: 3 });
    const lines = await readLines(file);
    expect(lines).toHaveLength(500);
    expect(lines.at(-1)).toMatchObject({ i: 499, name: 'child' });
  });
});
