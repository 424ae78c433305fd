import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from 'coordinate';
import { deterministic, killWorkersByHand, removeTempDirs, startRun, startWorkerByHand, task, tempDir, TOKEN } from './helpers.js';

afterEach(async () => {
  await killWorkersByHand();
  await removeTempDirs();
});

describe('a worker started by hand', () => {
  it('joins from another directory and completes tasks through the protocol, scratchpad included', async () => {
    const repoRoot = await tempDir();
    const elsewhere = await tempDir('coordinate-elsewhere-');
    const { url, done: run } = await startRun({
      repoRoot,
      runId: 'remote',
      goal: 'work from afar',
      tasks: [task('write'), task('read', ['write'])],
      workers: 0,
      executor: 'deterministic',
      token: TOKEN,
      prepare: (t) => deterministic(t.id === 'write' ? { write: { name: 'from-afar.md', content: 'hello over the wire' } } : { echoDependencies: true }),
    });
    const worker = startWorkerByHand(url, elsewhere, { COORDINATE_TOKEN: TOKEN });
    const outcome = await run;
    expect(outcome.outcome).toBe('succeeded');
    expect(Object.values(outcome.state.workers)).toEqual([expect.objectContaining({ remote: true })]);
    const written = await readFile(join(repoRoot, '.coordinate/runs/remote/scratchpad/write/from-afar.md'), 'utf8');
    expect(written).toBe('hello over the wire');
    expect(outcome.state.tasks.read?.result?.output).toEqual([expect.objectContaining({ id: 'write', notes: ['write/from-afar.md'] })]);
    const exit = await worker;
    expect(exit.exitCode).toBe(0);
  });

  it('stays connected when the graph grows, and serves the tasks added after a failure in the same run', async () => {
    const repoRoot = await tempDir();
    const { url, done: run } = await startRun({
      repoRoot,
      runId: 'grows',
      goal: 'fix what fails',
      tasks: [task('check')],
      workers: 0,
      executor: 'deterministic',
      token: TOKEN,
      maxAttempts: 1,
      prepare: (t) => deterministic(t.id === 'check' ? { fail: true } : {}),
      grow: (failed) => (failed.id === 'check' ? { tasks: [task('repair'), task('recheck', ['repair'])], reason: { kind: 'fix', after: 'check', round: 1 } } : undefined),
    });
    const worker = startWorkerByHand(url, await tempDir('coordinate-elsewhere-'), { COORDINATE_TOKEN: TOKEN });
    const outcome = await run;
    const events = (await readFile(join(repoRoot, '.coordinate/runs/grows/journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEvent);
    const joined = events.filter((e) => e.type === 'worker.joined');
    expect(joined).toHaveLength(1);
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    expect(events.find((e) => e.type === 'tasks.added')).toMatchObject({ tasks: [{ id: 'repair' }, { id: 'recheck' }], reason: { kind: 'fix', after: 'check' } });
    const servedBy = events.flatMap((e) => (e.type === 'task.assigned' ? [[e.taskId, e.workerId]] : []));
    const workerId = joined[0]!.type === 'worker.joined' ? joined[0]!.workerId : '';
    expect(servedBy).toEqual([
      ['check', workerId],
      ['repair', workerId],
      ['recheck', workerId],
    ]);
    expect([outcome.state.tasks.repair?.status, outcome.state.tasks.recheck?.status]).toEqual(['succeeded', 'succeeded']);
    expect((await worker).exitCode).toBe(0);
  });

  it('exits with a clear message when its token is refused', async () => {
    const repoRoot = await tempDir();
    const controller = new AbortController();
    const { url, done: run } = await startRun({
      repoRoot,
      runId: 'refused',
      goal: 'g',
      tasks: [task('never')],
      workers: 0,
      executor: 'deterministic',
      token: TOKEN,
      signal: controller.signal,
    });
    const exit = await startWorkerByHand(url, repoRoot, { COORDINATE_TOKEN: 'wrong-token-wrong-token' });
    controller.abort();
    await run;
    expect(exit.exitCode).toBe(1);
    expect(exit.stderr).toContain('HTTP 401: check COORDINATE_TOKEN');
  });
});
