import { describe, expect, it } from 'vitest';
import { emptyUsage, type TaskResultBody, type Usage } from '@coordinate/protocol';
import { BudgetGuard, type BudgetStop } from './budget-guard.js';

const usage = (tokens: number, costUsd: number): Usage => ({ ...emptyUsage(), inputTokens: tokens, requests: 1, costUsd });
const finished = (taskId: string, result: Partial<TaskResultBody>) =>
  ({ type: 'task.finished', ts: 0, taskId, attempt: 1, result: { outcome: 'succeeded', summary: '', usage: emptyUsage(), ...result } }) as const;

describe('the run budget guard', () => {
  it('hands each task what is left of the run budget, counting earlier sessions and running attempts', () => {
    const guard = new BudgetGuard({ budgets: { maxTokens: 1000, maxCostUsd: 1 }, spent: usage(100, 0.1), now: () => 0, onExhausted: () => {} });
    guard.observe(finished('a', { usage: usage(200, 0.2) }));
    guard.progress('b', usage(300, 0.3));
    expect(guard.remaining()).toEqual({ maxTokens: 400, maxCostUsd: expect.closeTo(0.4, 6) });
    expect(guard.exhausted()).toBeUndefined();
  });

  it('stops the run when a running attempt passes the budget, naming the budget', () => {
    const stops: BudgetStop[] = [];
    const guard = new BudgetGuard({ budgets: { maxCostUsd: 1 }, spent: emptyUsage(), now: () => 0, onExhausted: (stop) => stops.push(stop) });
    guard.progress('a', usage(10, 0.6));
    guard.progress('b', usage(10, 0.5));
    expect(stops).toEqual([expect.objectContaining({ name: 'maxCostUsd', limit: 1 })]);
    expect(guard.exhausted()?.name).toBe('maxCostUsd');
  });

  it('treats a task stopped by its share of the token budget as the run being out of tokens', () => {
    const guard = new BudgetGuard({ budgets: { maxTokens: 500 }, spent: emptyUsage(), now: () => 0, onExhausted: () => {} });
    guard.observe(finished('a', { outcome: 'failed', error: { code: 'budget_exceeded', message: 'the token budget (maxTokens = 500) would be passed' } }));
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
