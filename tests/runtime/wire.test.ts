import { afterEach, describe, expect, it } from 'vitest';
import { emptyUsage } from '@coordinate/protocol';
import { journalPath, RawClient, readJournalFile, removeTempDirs, startRun, task, tempDir, TOKEN } from './helpers.js';

const clients: RawClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await removeTempDirs();
});

const ok = (summary: string) => ({ outcome: 'succeeded' as const, summary, usage: emptyUsage() });

/** Starts a run served only by hand-driven connections, and resolves once it listens. */
async function startRemoteRun(runId: string, tasks: ReturnType<typeof task>[], extra: { heartbeatMs?: number; deadAfterMs?: number } = {}) {
  const repoRoot = await tempDir();
  const run = await startRun({ repoRoot, runId, goal: 'wire behaviour', tasks, workers: 0, executor: 'deterministic', token: TOKEN, ...extra });
  return { repoRoot, ...run };
}

async function connect(url: string): Promise<RawClient> {
  const client = await RawClient.connect(url);
  clients.push(client);
  return client;
}

describe('exactly-once results over the wire', () => {
  it('drops the late result of a worker declared dead and applies the current attempt once', async () => {
    const run = await startRemoteRun('stale', [task('only')], { heartbeatMs: 250, deadAfterMs: 1000 });
    const first = await connect(run.url);
    const firstId = await first.hello();
    await first.next('task.assign', (m) => m.attempt === 1);
    first.send({ type: 'task.accepted', taskId: 'only', attempt: 1 });
    first.close();

    const second = await connect(run.url);
    await second.hello();
    const reassigned = await second.next('task.assign', (m) => m.attempt === 2, 10_000);
    expect(reassigned.taskId).toBe('only');

    const late = await connect(run.url);
    const lateId = await late.hello(firstId);
    expect(lateId).not.toBe(firstId);
    late.send({ type: 'task.result', taskId: 'only', attempt: 1, result: ok('late answer') });
    const refusal = await late.next('error');
    expect(refusal.error).toMatchObject({ code: 'stale_attempt', data: { taskId: 'only', attempt: 1 } });

    const current = { type: 'task.result', taskId: 'only', attempt: 2, result: ok('current answer') } as const;
    second.send(current);
    second.send(current);
    const outcome = await run.done;
    expect(outcome.outcome).toBe('succeeded');
    expect(second.received).toContainEqual(expect.objectContaining({ type: 'task.ack', taskId: 'only', attempt: 2 }));

    const events = await readJournalFile(journalPath(run.repoRoot, 'stale'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'worker.lost', workerId: firstId }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'result.dropped', taskId: 'only', attempt: 1, workerId: lateId }));
    const finished = events.filter((e) => e.type === 'task.finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ attempt: 2, result: { summary: 'current answer' } });
    expect(outcome.state.tasks.only?.result?.summary).toBe('current answer');
  });

  it('is not changed by duplicated and reordered frames from a worker', async () => {
    const run = await startRemoteRun('dupes', [task('a'), task('b', ['a'])]);
    const worker = await connect(run.url);
    await worker.hello();
    worker.send({ type: 'hello', pid: 1, version: 'test', roles: ['research'], sharedFs: false });
    await worker.next('error', (m) => m.error.message.includes('hello was already received'));

    await worker.next('task.assign', (m) => m.taskId === 'a');
    // The result before the acceptance, then the acceptance, the result and a progress event again.
    worker.send({ type: 'task.result', taskId: 'a', attempt: 1, result: ok('a once') });
    worker.send({ type: 'task.accepted', taskId: 'a', attempt: 1 });
    worker.send({ type: 'task.result', taskId: 'a', attempt: 1, result: ok('a twice') });
    worker.send({ type: 'task.progress', taskId: 'a', attempt: 1, event: { kind: 'log', message: 'late progress' } });

    await worker.next('task.assign', (m) => m.taskId === 'b');
    worker.send({ type: 'task.accepted', taskId: 'b', attempt: 1 });
    worker.send({ type: 'task.accepted', taskId: 'b', attempt: 1 });
    worker.send({ type: 'task.result', taskId: 'b', attempt: 1, result: ok('b once') });
    worker.send({ type: 'task.result', taskId: 'b', attempt: 1, result: ok('b twice') });

    const outcome = await run.done;
    expect(outcome.outcome).toBe('succeeded');
    const events = await readJournalFile(journalPath(run.repoRoot, 'dupes'));
    const finished = events.filter((e) => e.type === 'task.finished');
    expect(finished.map((e) => (e.type === 'task.finished' ? e.result.summary : ''))).toEqual(['a once', 'b once']);
    expect(events.filter((e) => e.type === 'task.started').map((e) => e.taskId)).toEqual(['b']);
    expect(events.filter((e) => e.type === 'task.progress')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'result.dropped')).toHaveLength(0);
    expect(outcome.state.tasks.a?.attempts).toHaveLength(1);
    expect(outcome.state.tasks.b?.attempts).toHaveLength(1);
  });
});
