import { emptyUsage, type TaskSpec } from '@coordinate/protocol';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { JournalEvent } from '../journal/events.js';
import { createProgressView } from './index.js';

const T0 = Date.parse('2025-01-02T10:00:00Z');
const tasks: TaskSpec[] = [
  { id: 'explore', title: 'Find the handler', role: 'research', instructions: '', dependsOn: [] },
  { id: 'limit', title: 'Add the limiter', role: 'implement', instructions: '', dependsOn: ['explore'] },
  { id: 'check', title: 'Run the tests', role: 'verify', instructions: '', dependsOn: ['limit'] },
];
const usage = (tokens: number, costUsd: number) => ({ ...emptyUsage(), inputTokens: tokens, requests: 1, costUsd });
const at = (seconds: number) => T0 + seconds * 1000;

const firstHalf: JournalEvent[] = [
  { type: 'run.started', ts: at(0), runId: 'r1', url: 'ws://127.0.0.1:1', goal: 'g', tasks, workers: 2 },
  { type: 'worker.joined', ts: at(1), workerId: 'w1', pid: 10, remote: false },
  { type: 'worker.joined', ts: at(1), workerId: 'w2', pid: 11, remote: false },
  { type: 'task.assigned', ts: at(2), taskId: 'explore', attempt: 1, workerId: 'w1' },
  { type: 'task.started', ts: at(2), taskId: 'explore', attempt: 1, workerId: 'w1' },
  { type: 'task.finished', ts: at(10), taskId: 'explore', attempt: 1, result: { outcome: 'succeeded', summary: 'found it', usage: usage(3000, 0.02) } },
  { type: 'task.started', ts: at(11), taskId: 'limit', attempt: 1, workerId: 'w2' },
  { type: 'task.progress', ts: at(20), taskId: 'limit', attempt: 1, summary: 'turn 3', usage: usage(12_500, 0.1) },
];
const secondHalf: JournalEvent[] = [
  { type: 'tool.denied', ts: at(21), taskId: 'limit', attempt: 1, tool: 'run_command', reason: 'curl is not allowed' },
  { type: 'task.failed', ts: at(30), taskId: 'limit', attempt: 1, error: { code: 'worker_lost', message: 'worker w2 went silent' }, willRetry: true },
  { type: 'task.started', ts: at(31), taskId: 'limit', attempt: 2, workerId: 'w1' },
  { type: 'task.finished', ts: at(60), taskId: 'limit', attempt: 2, result: { outcome: 'failed', summary: 'could not\nfinish', usage: usage(1000, 0.01) } },
  { type: 'task.failed', ts: at(60), taskId: 'limit', attempt: 2, error: { code: 'task_failed', message: 'could not' }, willRetry: false },
  { type: 'task.skipped', ts: at(61), taskId: 'check', reason: 'a dependency failed' },
  { type: 'run.finished', ts: at(62), outcome: 'failed' },
];

function sink(extra: { isTTY?: boolean; columns?: number; rows?: number } = {}) {
  const writes: string[] = [];
  return { writes, stream: { ...extra, write: (text: string) => writes.push(text) } };
}

describe('plain progress (no terminal, or CI)', () => {
  it('prints one timestamped line per notable event, without colors', () => {
    const { writes, stream } = sink();
    const view = createProgressView({ stream, isTTY: false, env: {} });
    expect(view.mode).toBe('plain');
    for (const event of [...firstHalf, ...secondHalf]) view.onEvent(event);
    view.onProgress('limit', { kind: 'tool_call', tool: 'edit_file', input: '{}' });
    view.onProgress('limit', { kind: 'retry', attempt: 2, cause: 'overloaded (529)', delayMs: 1000 });
    view.stop();
    const lines = writes.join('').trimEnd().split('\n');
    expect(lines.slice(0, 12)).toEqual([
      '2025-01-02T10:00:00Z run r1 started: 3 tasks, 2 workers',
      '2025-01-02T10:00:01Z worker w1 joined',
      '2025-01-02T10:00:01Z worker w2 joined',
      '2025-01-02T10:00:02Z ▶ explore [research] Find the handler on w1',
      '2025-01-02T10:00:10Z ✓ explore [research] Find the handler (3.0k tokens, $0.02)',
      '2025-01-02T10:00:11Z ▶ limit [implement] Add the limiter on w2',
      '2025-01-02T10:00:21Z ! limit: run_command denied: curl is not allowed',
      '2025-01-02T10:00:30Z ✗ limit [implement] Add the limiter attempt 1 failed: worker w2 went silent (will retry)',
      '2025-01-02T10:00:31Z ▶ limit [implement] Add the limiter on w1 (attempt 2)',
      '2025-01-02T10:01:00Z ✗ limit [implement] Add the limiter failed (1.0k tokens, $0.01): could not',
      '2025-01-02T10:01:01Z - check [verify] Run the tests skipped: a dependency failed',
      '2025-01-02T10:01:02Z run finished: failed',
    ]);
    expect(lines[12]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ … limit: model request retried in 1 s \(attempt 2, overloaded \(529\)\)$/);
    expect(lines).toHaveLength(13);
    expect(writes.join('')).not.toContain('\x1b');
  });

  it('words a failed verdict once, and a retry of it as the next attempt', () => {
    const { writes, stream } = sink();
    const view = createProgressView({ stream, isTTY: false, env: {} });
    const verdict = (attempt: number): JournalEvent => ({ type: 'task.finished', ts: at(40), taskId: 'limit', attempt, result: { outcome: 'failed', summary: 'tests fail', usage: usage(1000, 0.01) } });
    const failed = (attempt: number, willRetry: boolean): JournalEvent => ({ type: 'task.failed', ts: at(40), taskId: 'limit', attempt, error: { code: 'task_failed', message: 'tests fail' }, willRetry });
    for (const event of [...firstHalf, verdict(1), failed(1, true), verdict(2), failed(2, false)]) view.onEvent(event);
    view.stop();
    const lines = writes.join('').trimEnd().split('\n').slice(firstHalf.length - 2);
    expect(lines).toEqual([
      '2025-01-02T10:00:40Z ✗ limit [implement] Add the limiter failed (1.0k tokens, $0.01): tests fail',
      '2025-01-02T10:00:40Z … limit [implement] Add the limiter goes again (attempt 2)',
      '2025-01-02T10:00:40Z ✗ limit [implement] Add the limiter failed (1.0k tokens, $0.01): tests fail',
    ]);
  });

  it('prints plain lines in a terminal when CI is set', () => {
    const { writes, stream } = sink({ isTTY: true, columns: 80 });
    const view = createProgressView({ stream, isTTY: true, env: { CI: 'true' } });
    expect(view.mode).toBe('plain');
    view.onEvent(firstHalf[0]!);
    view.stop();
    expect(writes).toEqual(['2025-01-02T10:00:00Z run r1 started: 3 tasks, 2 workers\n']);
  });
});

describe('live progress (a terminal)', () => {
  const lastFrame = (writes: string[]) => {
    const last = writes[writes.length - 1]!;
    expect(last.startsWith('\x1b[?2026h')).toBe(true);
    expect(last.endsWith('\x1b[?2026l')).toBe(true);
    return stripVTControlCharacters(last).trimEnd().split('\n');
  };

  it('shows one line per worker with role, task, elapsed time, tokens and last tool, and an overall bar with cost', () => {
    const { writes, stream } = sink({ isTTY: true, columns: 100 });
    const view = createProgressView({ stream, isTTY: true, env: {}, now: () => at(25) });
    for (const event of firstHalf) view.onEvent(event);
    view.onProgress('limit', { kind: 'tool_call', tool: 'edit_file', input: '{"path":"a.ts"}' });
    view.stop();
    expect(writes).toHaveLength(1);
    const lines = lastFrame(writes);
    expect(lines).toContain('  1 worker idle');
    expect(lines).toContain('  w2      implement  limit: Add the limiter  14s  13k tok  edit_file');
    expect(lines[lines.length - 1]).toMatch(/^ {2}█+░+ 1\/3 tasks · 16k tokens · \$0\.12 · 25s$/);
    expect(lines.some((line) => line.includes('✓ explore [research] Find the handler'))).toBe(true);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(99);
  });

  it('redraws the same window in place, and keeps the final state on screen after stop', () => {
    const { writes, stream } = sink({ isTTY: true, columns: 60 });
    let clock = at(25);
    const view = createProgressView({ stream, isTTY: true, env: {}, now: () => clock, redrawMs: 1 });
    for (const event of firstHalf) view.onEvent(event);
    return vi
      .waitFor(() => expect(writes.length).toBeGreaterThan(0), { timeout: 5000 })
      .then(() => {
        expect(writes).toHaveLength(1);
        for (const event of secondHalf) view.onEvent(event);
        clock = at(62);
        view.stop();
        const final = writes[writes.length - 1]!;
        // the previous window (3 lines and the line the cursor rests on) is erased before anything is written
        expect(final).toMatch(/^\x1b\[\?2026h(\x1b\[2K\x1b\[1A){3}\x1b\[2K\x1b\[G/);
        const lines = lastFrame(writes);
        expect(lines[lines.length - 1]).toMatch(/3\/3 tasks · 1 failed · .* · \$0\.13 · 1m02s$/);
        // event lines above the window may wrap; the window itself must not, or redrawing in place breaks
        expect(lines.slice(-2).map((line) => line.trim().split(/\s+/)[0])).toEqual(['2', expect.stringMatching(/^█+$/)]);
        expect(lines.at(-2)).toBe('  2 workers idle');
        for (const line of lines.slice(-2)) expect([...line].length).toBeLessThanOrEqual(59);
      });
  });

  it('lists busy workers longest-running first, marks a retried attempt, and folds idle workers into a count', () => {
    const { writes, stream } = sink({ isTTY: true, columns: 100 });
    const view = createProgressView({ stream, isTTY: true, env: {}, now: () => at(40) });
    const events: JournalEvent[] = [
      { type: 'run.started', ts: at(0), runId: 'r1', url: 'ws://127.0.0.1:1', goal: 'g', tasks, workers: 3 },
      { type: 'worker.joined', ts: at(1), workerId: 'w1', pid: 10, remote: false },
      { type: 'worker.joined', ts: at(1), workerId: 'w2', pid: 11, remote: false },
      { type: 'worker.joined', ts: at(1), workerId: 'w3', pid: 12, remote: false },
      { type: 'task.started', ts: at(20), taskId: 'limit', attempt: 2, workerId: 'w1' },
      { type: 'task.started', ts: at(5), taskId: 'explore', attempt: 1, workerId: 'w2' },
    ];
    for (const event of events) view.onEvent(event);
    view.stop();
    const lines = lastFrame(writes).slice(-4);
    expect(lines[0]).toMatch(/^ {2}w2 +research +explore: Find the handler +35s/);
    expect(lines[1]).toMatch(/^ {2}w1 +implement +limit: Add the limiter \(attempt 2\) +20s/);
    expect(lines[2]).toBe('  1 worker idle');
    expect(lines[3]).toMatch(/0\/3 tasks/);
  });

  it('counts added tasks in the bar and shows retries; the bar is full only when every task is done', () => {
    const { writes, stream } = sink({ isTTY: true, columns: 100 });
    const many = Array.from({ length: 60 }, (_, i) => ({ id: `t${i}`, title: `Task ${i}`, role: 'implement' as const, instructions: '', dependsOn: [] }));
    const view = createProgressView({ stream, isTTY: true, env: {}, now: () => at(90) });
    view.onEvent({ type: 'run.started', ts: at(0), runId: 'r1', url: 'ws://127.0.0.1:1', goal: 'g', tasks: many.slice(0, 58), workers: 1 });
    for (const task of many.slice(0, 58)) view.onEvent({ type: 'task.finished', ts: at(10), taskId: task.id, attempt: 1, result: { outcome: 'succeeded', summary: 'ok', usage: usage(0, 0) } });
    view.onEvent({ type: 'tasks.added', ts: at(20), tasks: many.slice(58), reason: { kind: 'fix', after: 't57', round: 1 } });
    view.onEvent({ type: 'task.finished', ts: at(30), taskId: 't58', attempt: 1, result: { outcome: 'succeeded', summary: 'ok', usage: usage(0, 0) } });
    view.onEvent({ type: 'task.failed', ts: at(40), taskId: 't59', attempt: 1, error: { code: 'worker_lost', message: 'gone' }, willRetry: true });
    view.stop();
    const lines = lastFrame(writes);
    expect(lines).toContain('+ 2 tasks added (fix round 1 after t57): t58, t59');
    expect(lines.at(-1)).toMatch(/^ {2}█+░ 59\/60 tasks \(2 added\) · 1 retrying · /);
  });

  it('uses no colors when NO_COLOR is set', () => {
    const { writes, stream } = sink({ isTTY: true, columns: 80 });
    const view = createProgressView({ stream, isTTY: true, env: { NO_COLOR: '1' }, now: () => at(30) });
    for (const event of [...firstHalf, ...secondHalf]) view.onEvent(event);
    view.stop();
    expect(writes.join('')).not.toMatch(/\x1b\[\d+m/);
    const colored = sink({ isTTY: true, columns: 80 });
    const view2 = createProgressView({ stream: colored.stream, isTTY: true, env: {}, now: () => at(30) });
    for (const event of [...firstHalf, ...secondHalf]) view2.onEvent(event);
    view2.stop();
    expect(colored.writes.join('')).toMatch(/\x1b\[\d+m/);
  });
});
