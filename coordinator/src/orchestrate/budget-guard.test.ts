import { describe, expect, it } from 'vitest';
import { emptyUsage, type TaskResultBody, type Usage } from '@coordinate/protocol';
import { BudgetGuard, type BudgetStop } from './budget-guard.js';

const usage = (tokens: number, costUsd: number, requests = 1): Usage => ({ ...emptyUsage(), inputTokens: tokens, requests, costUsd });
const finished = (taskId: string, result: Partial<TaskResultBody>, attempt = 1) =>
  ({ type: 'task.finished', ts: 0, taskId, attempt, result: { outcome: 'succeeded', summary: '', usage: emptyUsage(), ...result } }) as const;
const progress = (taskId: string, used: Usage, attempt = 1) => ({ type: 'task.progress', ts: 0, taskId, attempt, summary: 'turn', usage: used }) as const;

describe('the run budget guard', () => {
  it('hands each task what is left of the run budget, counting earlier sessions and running attempts', () => {
    const guard = new BudgetGuard({ budgets: { maxTokens: 1000, maxCostUsd: 1 }, spent: usage(100, 0.1), now: () => 0, onExhausted: () => {} });
    guard.observe(finished('a', { usage: usage(200, 0.2) }));
    guard.observe(progress('b', usage(300, 0.3)));
    expect(guard.remaining()).toEqual({ maxTokens: 400, maxCostUsd: expect.closeTo(0.4, 6) });
    expect(guard.exhausted()).toBeUndefined();
  });

  it('counts a request once however often its attempt reports it, and keeps what a result without usage would take back', () => {
    const guard = new BudgetGuard({ budgets: {}, spent: emptyUsage(), now: () => 0, onExhausted: () => {} });
    guard.observe(progress('a', usage(100, 0.1, 1)));
    guard.observe(progress('a', usage(100, 0.1, 1)));
    guard.observe(progress('a', usage(250, 0.25, 2)));
    // A crashed executor's result reports nothing; the requests it made were still paid for.
    guard.observe(finished('a', { outcome: 'failed', usage: emptyUsage() }));
    expect(guard.used()).toMatchObject({ inputTokens: 250, requests: 2, costUsd: 0.25 });
    // A retry is a new attempt: its spending adds to the first one's.
    guard.observe(progress('a', usage(50, 0.05, 1), 2));
    expect(guard.used()).toMatchObject({ inputTokens: 300, requests: 3 });
  });

  it('stops the run when running attempts pass the budget, naming the budget', () => {
    const stops: BudgetStop[] = [];
    const guard = new BudgetGuard({ budgets: { maxCostUsd: 1 }, spent: emptyUsage(), now: () => 0, onExhausted: (stop) => stops.push(stop) });
    guard.observe(progress('a', usage(10, 0.6)));
    guard.observe(progress('b', usage(10, 0.5)));
    expect(stops).toEqual([expect.objectContaining({ name: 'maxCostUsd', limit: 1 })]);
    expect(guard.exhausted()?.name).toBe('maxCostUsd');
  });

  it('holds parallel requests while spent plus held fits, makes the next wait until a hold is freed, and frees a hold once its request is reported', async () => {
    const guard = new BudgetGuard({ budgets: { maxCostUsd: 0.2 }, spent: emptyUsage(), now: () => 0, onExhausted: () => {} });
    await expect(guard.reserve({ taskId: 'a', attempt: 1, tokens: 1000, costUsd: 0.08 })).resolves.toEqual({});
    await expect(guard.reserve({ taskId: 'b', attempt: 1, tokens: 1000, costUsd: 0.08 })).resolves.toEqual({});
    let answered: unknown;
    const c = guard.reserve({ taskId: 'c', attempt: 1, tokens: 1000, costUsd: 0.08 }).then((decision) => (answered = decision));
    await Promise.resolve();
    expect(answered).toBeUndefined();
    // a's request cost less than its worst case: its hold is freed and c goes ahead.
    guard.observe(progress('a', usage(500, 0.01)));
    await expect(c).resolves.toEqual({});
    expect(guard.used().costUsd).toBeCloseTo(0.01, 6);
  });

  it('refuses at once a request that no freed hold could make room for, naming the budget', async () => {
    const guard = new BudgetGuard({ budgets: { maxCostUsd: 0.2 }, spent: usage(10, 0.15), now: () => 0, onExhausted: () => {} });
    const decision = await guard.reserve({ taskId: 'a', attempt: 1, tokens: 1000, costUsd: 0.08 });
    expect(decision.refused).toMatchObject({ budget: 'maxCostUsd', reason: expect.stringContaining('$0.1500 spent, it may cost up to $0.0800') });
  });

  it('frees the hold of an attempt that ends without reporting its request, and refuses what the ended attempt still had waiting', async () => {
    const guard = new BudgetGuard({ budgets: { maxTokens: 1000 }, spent: emptyUsage(), now: () => 0, onExhausted: () => {} });
    await expect(guard.reserve({ taskId: 'a', attempt: 1, tokens: 900, costUsd: 0 })).resolves.toEqual({});
    const b = guard.reserve({ taskId: 'b', attempt: 1, tokens: 900, costUsd: 0 });
    const c = guard.reserve({ taskId: 'c', attempt: 1, tokens: 900, costUsd: 0 });
    guard.observe({ type: 'task.retried', ts: 0, taskId: 'a', attempt: 1, reason: 'worker lost' });
    await expect(b).resolves.toEqual({});
    guard.observe({ type: 'task.failed', ts: 0, taskId: 'c', attempt: 1, willRetry: false, error: { code: 'cancelled', message: 'stopped' } });
    await expect(c).resolves.toMatchObject({ refused: { budget: 'maxTokens' } });
  });

  it('treats a task stopped because a request could not be covered as the run being out of that budget', () => {
    const guard = new BudgetGuard({ budgets: { maxTokens: 500 }, spent: emptyUsage(), now: () => 0, onExhausted: () => {} });
    guard.observe(finished('a', { outcome: 'failed', error: { code: 'budget_exceeded', message: 'the next request may take up to 600', data: { budget: 'maxTokens' } } }));
    expect(guard.exhausted()).toMatchObject({ name: 'maxTokens', limit: 500, reason: expect.stringContaining('a stopped') });
  });

  it('counts the wall clock from the start of the session', () => {
    let clock = 1_000;
    const guard = new BudgetGuard({ budgets: { timeoutMs: 50 }, spent: emptyUsage(), now: () => clock, onExhausted: () => {} });
    expect(guard.exhausted()).toBeUndefined();
    clock += 50;
    expect(guard.exhausted()).toMatchObject({ name: 'timeoutMs', limit: 50 });
    guard.dispose();
  });
});
