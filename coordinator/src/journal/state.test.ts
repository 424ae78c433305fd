import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emptyUsage, type TaskResultBody, type TaskSpec, type Usage } from '@coordinate/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEvent, NewJournalEvent } from './events.js';
import { Journal } from './journal.js';
import { readJournal } from './read.js';
import { RunState } from './state-schema.js';
import { pendingTasks, rebuildRunState } from './state.js';

const spec = (id: string, role: TaskSpec['role'], dependsOn: string[] = []): TaskSpec => ({ id, title: `Task ${id}`, role, instructions: `do ${id}`, dependsOn });
const tasks = [spec('research', 'research'), spec('impl-a', 'implement', ['research']), spec('impl-b', 'implement', ['research']), spec('docs', 'implement', ['impl-b']), spec('verify', 'verify', ['impl-a'])];
const usage = (inputTokens: number): Usage => ({ ...emptyUsage(), inputTokens, requests: 1, costUsd: inputTokens / 1000 });
const ok = (summary: string, tokens: number): TaskResultBody => ({ outcome: 'succeeded', summary, usage: usage(tokens) });
const failed = (message: string, tokens: number): TaskResultBody => ({ outcome: 'failed', summary: message, usage: usage(tokens), error: { code: 'task_failed', message } });

/** A run with a retried failure, a worker lost mid-task, a stale result, a skip and an interruption. */
const interruptedRun: NewJournalEvent[] = [
  { type: 'run.started', runId: 'r1', url: 'ws://127.0.0.1:4000', goal: 'add a limiter', tasks, workers: 2, baseCommit: 'abc123' },
  { type: 'worker.joined', workerId: 'w1', pid: 101, remote: false },
  { type: 'worker.joined', workerId: 'w2', pid: 102, remote: false },
  { type: 'task.queued', taskId: 'research', rank: 3 },
  { type: 'task.assigned', taskId: 'research', attempt: 1, workerId: 'w1' },
  { type: 'task.started', taskId: 'research', attempt: 1, workerId: 'w1' },
  { type: 'task.progress', taskId: 'research', attempt: 1, summary: 'read_file src/index.ts' },
  { type: 'task.finished', taskId: 'research', attempt: 1, result: ok('found the entry point', 100) },
  { type: 'task.queued', taskId: 'impl-a', rank: 2 },
  { type: 'task.queued', taskId: 'impl-b', rank: 2 },
  { type: 'task.assigned', taskId: 'impl-a', attempt: 1, workerId: 'w1' },
  { type: 'task.assigned', taskId: 'impl-b', attempt: 1, workerId: 'w2' },
  { type: 'task.started', taskId: 'impl-b', attempt: 1, workerId: 'w2' },
  { type: 'worker.lost', workerId: 'w2', reason: 'no heartbeat for 30s' },
  { type: 'task.retried', taskId: 'impl-b', attempt: 1, reason: 'worker w2 was lost' },
  { type: 'task.queued', taskId: 'impl-b', rank: 2 },
  { type: 'worker.joined', workerId: 'w3', pid: 103, remote: true },
  { type: 'task.assigned', taskId: 'impl-b', attempt: 2, workerId: 'w3' },
  // The lost worker's answer arrives late: its tokens count, its verdict does not.
  { type: 'task.finished', taskId: 'impl-b', attempt: 1, result: ok('stale success', 7) },
  { type: 'result.dropped', taskId: 'impl-b', attempt: 1, workerId: 'w2', reason: 'attempt 1 is no longer current' },
  { type: 'task.finished', taskId: 'impl-a', attempt: 1, result: failed('tests did not pass', 20) },
  { type: 'task.failed', taskId: 'impl-a', attempt: 1, error: { code: 'task_failed', message: 'tests did not pass' }, willRetry: true },
  { type: 'task.retried', taskId: 'impl-a', attempt: 1, reason: 'tests did not pass' },
  { type: 'task.queued', taskId: 'impl-a', rank: 2 },
  { type: 'task.assigned', taskId: 'impl-a', attempt: 2, workerId: 'w1' },
  { type: 'tool.denied', taskId: 'impl-a', attempt: 2, tool: 'run_command', reason: 'curl is not allowed' },
  { type: 'task.finished', taskId: 'impl-a', attempt: 2, result: ok('limiter added', 30) },
  { type: 'task.finished', taskId: 'impl-b', attempt: 2, result: failed('could not build', 40) },
  { type: 'task.failed', taskId: 'impl-b', attempt: 2, error: { code: 'task_failed', message: 'could not build' }, willRetry: false },
  { type: 'task.skipped', taskId: 'docs', reason: 'depends on "impl-b", which failed: could not build' },
  { type: 'task.queued', taskId: 'verify', rank: 1 },
  { type: 'task.assigned', taskId: 'verify', attempt: 1, workerId: 'w1' },
  { type: 'task.started', taskId: 'verify', attempt: 1, workerId: 'w1' },
  { type: 'run.finished', outcome: 'interrupted', reason: 'interrupted', usage: usage(197) },
];

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-state-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** Appends like a run does, keeping the events it got back, and returns them. */
async function journalRun(file: string, events: NewJournalEvent[]): Promise<JournalEvent[]> {
  let now = 1_000;
  const journal = await Journal.open(file, { now: () => now++ });
  try {
    return events.map((event) => journal.append(event));
  } finally {
    await journal.close();
  }
}

describe('rebuildRunState', () => {
  it('rebuilds from the journal file alone the state the run itself produced', async () => {
    const file = path.join(dir, 'journal.jsonl');
    const live = rebuildRunState(await journalRun(file, interruptedRun));
    const { events, tornTail } = await readJournal(file);
    expect(tornTail).toBe(false);
    const rebuilt = rebuildRunState(events);
    expect(rebuilt).toEqual(live);
    expect(RunState.safeParse(rebuilt).success).toBe(true);
  });

  it('settles each task as the run left it, through a retry, a lost worker, a stale result and a skip', async () => {
    const state = rebuildRunState(await journalRun(path.join(dir, 'j.jsonl'), interruptedRun));
    const summary = Object.values(state.tasks).map((t) => [t.taskId, t.status, t.attempt]);
    expect(summary).toEqual([
      ['research', 'succeeded', 1],
      ['impl-a', 'succeeded', 2],
      ['impl-b', 'failed', 2],
      ['docs', 'skipped', 0],
      ['verify', 'running', 1],
    ]);
    const implA = state.tasks['impl-a']!;
    expect(implA.result?.summary).toBe('limiter added');
    expect(implA.reason).toBeUndefined();
    expect(implA.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'succeeded'],
    ]);
    const implB = state.tasks['impl-b']!;
    expect(implB.reason).toBe('could not build');
    expect(implB.attempts).toMatchObject([
      { attempt: 1, workerId: 'w2', status: 'abandoned', stale: true, reason: 'worker w2 was lost' },
      { attempt: 2, workerId: 'w3', status: 'failed' },
    ]);
    expect(implB.usage.inputTokens).toBe(47);
    expect(state.tasks.docs?.reason).toMatch(/impl-b/);
    expect(state.tasks.verify?.workerId).toBe('w1');
    expect(state.workers).toEqual({
      w1: { workerId: 'w1', pid: 101, remote: false, lost: false },
      w2: { workerId: 'w2', pid: 102, remote: false, lost: true, reason: 'no heartbeat for 30s' },
      w3: { workerId: 'w3', pid: 103, remote: true, lost: false },
    });
    expect(state.droppedResults).toEqual([{ taskId: 'impl-b', attempt: 1, workerId: 'w2', reason: 'attempt 1 is no longer current' }]);
    expect(state.usage).toMatchObject({ inputTokens: 197, requests: 5 });
    expect(state.run).toMatchObject({ runId: 'r1', goal: 'add a limiter', baseCommit: 'abc123', workers: 2, startedAt: 1_000, resumes: 0, finished: { outcome: 'interrupted' } });
  });

  it('never lets a late result for an older attempt override the newer attempt', () => {
    const events = [
      ...interruptedRun.slice(0, 1),
      { type: 'task.assigned', taskId: 'research', attempt: 1, workerId: 'w1' },
      { type: 'task.retried', taskId: 'research', attempt: 1, reason: 'worker w1 was lost' },
      // Before the next attempt is even handed out, the abandoned one answers.
      { type: 'task.finished', taskId: 'research', attempt: 1, result: failed('too late', 1) },
      { type: 'task.failed', taskId: 'research', attempt: 1, error: { code: 'task_failed', message: 'too late' }, willRetry: false },
      { type: 'task.assigned', taskId: 'research', attempt: 2, workerId: 'w2' },
      { type: 'task.finished', taskId: 'research', attempt: 2, result: ok('fresh', 1) },
      { type: 'task.finished', taskId: 'research', attempt: 1, result: failed('even later', 1) },
      { type: 'task.assigned', taskId: 'research', attempt: 1, workerId: 'w9' },
    ].map((event, i) => ({ ts: i, ...event })) as JournalEvent[];
    const research = rebuildRunState(events.slice(0, 4)).tasks.research!;
    expect(research.status).toBe('pending');
    const final = rebuildRunState(events).tasks.research!;
    expect(final).toMatchObject({ status: 'succeeded', attempt: 2, result: { summary: 'fresh' } });
    expect(final.workerId).toBeUndefined();
  });
  it('counts every request the run made: the planner, and attempts that only reported progress before they were cancelled', () => {
    const events = [
      { type: 'run.started', ts: 1, runId: 'r1', url: 'ws://127.0.0.1:4000', goal: 'g', tasks, workers: 1, plannerUsage: usage(50) },
      { type: 'task.assigned', ts: 2, taskId: 'research', attempt: 1, workerId: 'w1' },
      { type: 'task.progress', ts: 3, taskId: 'research', attempt: 1, summary: 'turn 1', usage: usage(100) },
      { type: 'task.progress', ts: 4, taskId: 'research', attempt: 1, summary: 'read_file a', usage: usage(100) },
      { type: 'task.progress', ts: 5, taskId: 'research', attempt: 1, summary: 'turn 2', usage: { ...usage(300), requests: 2 } },
      // Cancelled: no result ever comes, yet both requests were paid for.
      { type: 'task.retried', ts: 6, taskId: 'research', attempt: 1, reason: 'cancelled' },
      { type: 'task.assigned', ts: 7, taskId: 'research', attempt: 2, workerId: 'w1' },
      { type: 'task.progress', ts: 8, taskId: 'research', attempt: 2, summary: 'turn 1', usage: usage(40) },
      { type: 'task.finished', ts: 9, taskId: 'research', attempt: 2, result: ok('done', 40) },
    ] satisfies JournalEvent[];
    const state = rebuildRunState(events);
    expect(state.run?.plannerUsage?.inputTokens).toBe(50);
    expect(state.tasks.research?.usage).toMatchObject({ inputTokens: 340, requests: 3 });
    expect(state.usage).toMatchObject({ inputTokens: 390, requests: 4, costUsd: expect.closeTo(0.39, 9) });
  });
});

describe('pendingTasks', () => {
  it('lists what a resume must still run, with a running task back to pending', async () => {
    const state = rebuildRunState(await journalRun(path.join(dir, 'j.jsonl'), interruptedRun));
    const pending = pendingTasks(state);
    expect(pending).toMatchObject([{ taskId: 'verify', status: 'pending', attempt: 1 }]);
    expect(pending[0]).not.toHaveProperty('workerId');
    expect(state.tasks.verify?.status).toBe('running');
  });

  it('is empty once a resumed run finishes the rest, and the resume is counted', async () => {
    const resumed: NewJournalEvent[] = [
      ...interruptedRun,
      { type: 'run.resumed', url: 'ws://127.0.0.1:5000' },
      { type: 'task.queued', taskId: 'verify', rank: 1 },
      { type: 'task.assigned', taskId: 'verify', attempt: 2, workerId: 'w4' },
      { type: 'task.finished', taskId: 'verify', attempt: 2, result: ok('all green', 5) },
    ];
    const state = rebuildRunState(await journalRun(path.join(dir, 'j.jsonl'), resumed));
    expect(pendingTasks(state)).toEqual([]);
    expect(state.run).toMatchObject({ url: 'ws://127.0.0.1:5000', resumes: 1 });
    expect(state.run?.finished).toBeUndefined();
    expect(state.tasks.verify).toMatchObject({ status: 'succeeded', attempt: 2 });
  });
});
