import { describe, expect, it } from 'vitest';
import { emptyUsage, ExecutorError, LeaseWaitError, type TaskSpec } from '@coordinate/protocol';
import type { NewJournalEvent } from '../journal/events.js';
import type { AttemptOutcome } from './attempt.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

const task = (id: string, dependsOn: string[] = []): TaskSpec => ({ id, title: id, role: 'research', instructions: '', dependsOn });
const succeeded = (summary: string): AttemptOutcome => ({ kind: 'result', result: { outcome: 'succeeded', summary, usage: emptyUsage() } });
/** An attempt that failed around the task (its executor crashed): another attempt may succeed. */
const failed = (summary: string): AttemptOutcome => ({
  kind: 'result',
  result: { outcome: 'failed', summary, usage: emptyUsage(), error: new ExecutorError(summary).toData() },
});
/** A task that ran to its end and concluded it failed (e.g. the tests it ran fail). */
const verdict = (summary: string): AttemptOutcome => ({ kind: 'result', result: { outcome: 'failed', summary, usage: emptyUsage() } });

/** An attempt that ended to wait for a file another task holds. */
const waits = (path: string): AttemptOutcome => ({
  kind: 'result',
  result: { outcome: 'failed', summary: `waiting for ${path}`, usage: emptyUsage(), error: new LeaseWaitError(`waiting for ${path}`, { path }).toData() },
});

/** A scheduler whose attempts are answered by `answer`, one at a time, recording what it journals. */
function schedule(tasks: TaskSpec[], answer: (id: string, attempt: number) => AttemptOutcome, maxAttempts = 2, extra: Pick<SchedulerOptions, 'takeOver' | 'takenOver' | 'initial' | 'leaseRefusal'> = {}) {
  const events: NewJournalEvent[] = [];
  const started: string[] = [];
  const scheduler = new Scheduler({
    tasks,
    maxAttempts,
    maxLosses: 2,
    ...extra,
    record: (event) => void events.push(event),
    runAttempt: async (spec, attempt) => {
      started.push(`${spec.id}#${attempt}`);
      await new Promise((resolve) => setImmediate(resolve));
      return answer(spec.id, attempt);
    },
  });
  return { scheduler, events, started };
}

describe('the scheduler', () => {
  it('lets a task that takes over a failed one run instead of a retry, and the failed one\'s dependents wait for it', async () => {
    const takeOver: SchedulerOptions['takeOver'] = (spec) => (spec.id === 'clash' ? { task: task('clash-resolve1', ['base']), reason: { kind: 'conflict', after: 'clash' } } : undefined);
    const { scheduler, events, started } = schedule([task('base'), task('clash', ['base']), task('after', ['clash'])], (id) => (id === 'clash' ? verdict('conflict') : succeeded(id)), 3, { takeOver });
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: false });
    expect(started).toEqual(['base#1', 'clash#1', 'clash-resolve1#1', 'after#1']);
    expect(events.filter((e) => e.type === 'task.skipped')).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'tasks.added', reason: { kind: 'conflict', after: 'clash' } }));
  });

  it('on resume, keeps the dependents of a task taken over waiting for its replacement, and skips them if that fails', async () => {
    const initial = new Map([['clash', { status: 'failed' as const, attempt: 1 }]]);
    const tasks = [task('clash'), task('clash-resolve1'), task('after', ['clash'])];
    const { scheduler, events, started } = schedule(tasks, () => verdict('still conflicts'), 1, { initial, takenOver: new Map([['clash', 'clash-resolve1']]) });
    await scheduler.run();
    expect(started).toEqual(['clash-resolve1#1']);
    expect(events.filter((e) => e.type === 'task.skipped')).toEqual([{ type: 'task.skipped', taskId: 'after', reason: 'depends on "clash-resolve1", which failed: still conflicts' }]);
  });

  it('starts the ready task heading the longest chain first', async () => {
    const { scheduler, started } = schedule([task('short'), task('head'), task('middle', ['head']), task('tail', ['middle'])], (id) => succeeded(id));
    scheduler.setConcurrency(1);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: true });
    // Between equals (tail and short both head a chain of one), the one ready longer goes first.
    expect(started).toEqual(['head#1', 'middle#1', 'short#1', 'tail#1']);
  });

  it('retries a failed task up to the limit, then skips what depends on it, transitively', async () => {
    const { scheduler, events, started } = schedule([task('bad'), task('child', ['bad']), task('grandchild', ['child'])], () => failed('broke'), 3);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: false });
    expect(started).toEqual(['bad#1', 'bad#2', 'bad#3']);
    expect(events.filter((e) => e.type === 'task.skipped')).toEqual([
      { type: 'task.skipped', taskId: 'child', reason: 'depends on "bad", which failed: broke' },
      { type: 'task.skipped', taskId: 'grandchild', reason: 'depends on "child", which was skipped' },
    ]);
    expect(scheduler.status('grandchild')).toBe('skipped');
  });

  it('does not retry a task that reached its own verdict of failure, since another attempt would repeat it', async () => {
    const { scheduler, events, started } = schedule([task('check')], () => verdict('2 tests fail'), 3);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: false });
    expect(started).toEqual(['check#1']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'task.failed', taskId: 'check', willRetry: false }));
  });

  it('reads whether to retry from the error that arrived, not from its message: a refused model request is not retried', async () => {
    const refused: AttemptOutcome = {
      kind: 'result',
      result: { outcome: 'failed', summary: 'x', usage: emptyUsage(), error: { code: 'model_request_failed', message: 'a crash, retry me', data: { status: 401 } } },
    };
    const { scheduler, started } = schedule([task('ask')], () => refused, 3);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: false });
    expect(started).toEqual(['ask#1']);
  });

  it('re-queues a task whose worker was lost, with a higher attempt, and fails it after too many losses', async () => {
    const { scheduler, started, events } = schedule([task('unlucky'), task('lucky')], (id, attempt) =>
      id === 'unlucky' || attempt < 2 ? { kind: 'lost', reason: 'worker gone' } : succeeded(id),
    );
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: false });
    expect(started.filter((s) => s.startsWith('lucky'))).toEqual(['lucky#1', 'lucky#2']);
    expect(started.filter((s) => s.startsWith('unlucky'))).toEqual(['unlucky#1', 'unlucky#2', 'unlucky#3']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'task.failed', taskId: 'unlucky', willRetry: false, error: expect.objectContaining({ code: 'worker_lost' }) }));
  });

  it('continues a resumed run: settled tasks stay settled and attempts count on from the journal', async () => {
    const events: NewJournalEvent[] = [];
    const started: string[] = [];
    const scheduler = new Scheduler({
      tasks: [task('done'), task('next', ['done'])],
      maxAttempts: 2,
      maxLosses: 2,
      initial: new Map([
        ['done', { status: 'succeeded', attempt: 1, result: { outcome: 'succeeded', summary: 'earlier', usage: emptyUsage() } }],
        ['next', { status: 'waiting', attempt: 4 }],
      ]),
      record: (event) => void events.push(event),
      runAttempt: async (spec, attempt) => (started.push(`${spec.id}#${attempt}`), succeeded(spec.id)),
    });
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: true });
    expect(started).toEqual(['next#5']);
  });

  it('gives the worker of a task that ended waiting for a lease back, and hands the task out again once the holder settled, without counting a failure', async () => {
    const events: NewJournalEvent[] = [];
    const started: string[] = [];
    let holderDone!: () => void;
    const holderRuns = new Promise<void>((resolve) => (holderDone = resolve));
    const scheduler = new Scheduler({
      tasks: [task('holder'), task('waiter'), task('other')],
      maxAttempts: 1,
      maxLosses: 2,
      record: (event) => void events.push(event),
      leaseRefusal: (taskId, attempt) => (taskId === 'waiter' && attempt === 1 ? { path: 'src/math.js', holder: 'holder' } : undefined),
      runAttempt: async (spec, attempt) => {
        started.push(`${spec.id}#${attempt}`);
        if (spec.id === 'holder') await holderRuns;
        // the waiter's first attempt gives up its worker; the third task takes it while the holder still runs
        if (spec.id === 'other') holderDone();
        return spec.id === 'waiter' && attempt === 1 ? waits('src/math.js') : succeeded(spec.id);
      },
    });
    scheduler.setConcurrency(2);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: true });
    expect(started).toEqual(['holder#1', 'waiter#1', 'other#1', 'waiter#2']);
    expect(events).toContainEqual({ type: 'task.retried', taskId: 'waiter', attempt: 1, reason: 'waits for src/math.js, leased by holder' });
  });

  it('does not let two tasks that each ended waiting for the other wait forever', async () => {
    const { scheduler, started } = schedule([task('a'), task('b')], (id, attempt) => (attempt === 1 ? waits('x.js') : succeeded(id)), 1, {
      leaseRefusal: (taskId, attempt) => (attempt === 1 ? { path: 'x.js', holder: taskId === 'a' ? 'b' : 'a' } : undefined),
    });
    scheduler.setConcurrency(2);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: true });
    expect(started.toSorted()).toEqual(['a#1', 'a#2', 'b#1', 'b#2']);
  });

  it('counts an attempt refused a lease that failed for another reason as a failure: retried or failed by its error, never waiting', async () => {
    // the holder runs until both others ended, so a wait would still be pending when they did
    let othersDone = 0;
    let release!: () => void;
    const holderRuns = new Promise<void>((resolve) => (release = resolve));
    const answers: Record<string, (attempt: number) => AttemptOutcome> = {
      crashed: (attempt) => (attempt === 1 ? failed('the executor crashed') : succeeded('crashed')),
      judged: () => verdict('2 tests fail'),
    };
    const events: NewJournalEvent[] = [];
    const started: string[] = [];
    const scheduler = new Scheduler({
      tasks: [task('holder'), task('crashed'), task('judged')],
      maxAttempts: 2,
      maxLosses: 2,
      record: (event) => void events.push(event),
      leaseRefusal: (taskId, attempt) => (taskId !== 'holder' && attempt === 1 ? { path: 'src/math.js', holder: 'holder' } : undefined),
      runAttempt: async (spec, attempt) => {
        started.push(`${spec.id}#${attempt}`);
        if (spec.id === 'holder') {
          await holderRuns;
          return succeeded('holder');
        }
        const outcome = answers[spec.id]!(attempt);
        if (++othersDone === 3) release();
        return outcome;
      },
    });
    scheduler.setConcurrency(3);
    expect(await scheduler.run()).toEqual({ kind: 'completed', succeeded: false });
    expect(events.filter((e) => e.type === 'task.retried' && e.reason.startsWith('waits for'))).toEqual([]);
    // the crash is retried at once, as its error allows, while the holder still runs; the verdict fails for good
    expect(started).toEqual(['holder#1', 'crashed#1', 'judged#1', 'crashed#2']);
    expect(events).toContainEqual(expect.objectContaining({ type: 'task.failed', taskId: 'crashed', attempt: 1, willRetry: true }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'task.failed', taskId: 'judged', attempt: 1, willRetry: false }));
    expect(scheduler.status('judged')).toBe('failed');
    expect(scheduler.status('crashed')).toBe('succeeded');
  });

  it('stops on a shouldStop reason and starts nothing more', async () => {
    const events: NewJournalEvent[] = [];
    const started: string[] = [];
    const scheduler = new Scheduler({
      tasks: [task('one'), task('two', ['one'])],
      maxAttempts: 2,
      maxLosses: 2,
      record: (event) => void events.push(event),
      runAttempt: async (spec) => (started.push(spec.id), succeeded(spec.id)),
      shouldStop: () => 'cost budget of $1 reached',
    });
    expect(await scheduler.run()).toEqual({ kind: 'stopped', reason: 'cost budget of $1 reached' });
    expect(started).toEqual(['one']);
  });
});
