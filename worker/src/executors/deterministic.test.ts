import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalScratchpad, taskScratchpad } from '@coordinate/scratchpad';
import type { TaskExecution } from '../executor.js';
import { deterministicExecutor } from './deterministic.js';

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true }))));

async function execution(settings: unknown, attempt = 1, signal = new AbortController().signal): Promise<TaskExecution> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-det-'));
  dirs.push(dir);
  return {
    task: { id: 'job', title: 'Job', role: 'research', instructions: '', dependsOn: [] },
    attempt,
    limits: { sandbox: true },
    context: { runId: 'r', dependencies: [], memory: [], budget: { maxTurns: 1 }, scratchpadDir: dir, settings: { deterministic: settings } },
    signal,
    progress: () => undefined,
    takeNotes: () => [],
    scratchpad: taskScratchpad(new LocalScratchpad(dir), 'job'),
    memory: { search: async () => [], propose: async () => undefined },
    reserve: async () => undefined,
    logger: pino({ level: 'silent' }),
  };
}

describe('the deterministic executor', () => {
  it('writes to its scratchpad folder and returns its output', async () => {
    const run = await execution({ write: { name: 'out.md', content: 'hi' }, output: { n: 1 } });
    await expect(deterministicExecutor(run)).resolves.toMatchObject({ outcome: 'succeeded', output: { n: 1 } });
    expect(await readFile(join(run.context.scratchpadDir!, 'job', 'out.md'), 'utf8')).toBe('hi');
  });

  it('fails the first N attempts on request, then succeeds', async () => {
    await expect(deterministicExecutor(await execution({ failAttempts: 2 }, 2))).rejects.toMatchObject({ code: 'executor_error', data: { attempt: 2 } });
    await expect(deterministicExecutor(await execution({ failAttempts: 2 }, 3))).resolves.toMatchObject({ outcome: 'succeeded' });
  });

  it('hangs until its attempt is cancelled', async () => {
    const controller = new AbortController();
    const pending = deterministicExecutor(await execution({ hang: true }, 1, controller.signal));
    controller.abort(new Error('cancelled by test'));
    await expect(pending).rejects.toThrow('cancelled by test');
  });

  it('refuses settings it does not know, naming the bad one', async () => {
    await expect(deterministicExecutor(await execution({ sleepMs: -5 }))).rejects.toMatchObject({ code: 'invalid_settings', message: expect.stringContaining('sleepMs') });
    await expect(deterministicExecutor(await execution({ explode: true }))).rejects.toMatchObject({ code: 'invalid_settings' });
  });
});
