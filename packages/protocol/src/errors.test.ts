import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CoordinateError, defineError, errorPolicy, rebuildError } from './errors.js';
import { ExitCode } from './outcome.js';
import { BudgetExceededError, ModelApiUnavailableError, TaskFailedError } from './task-errors.js';

describe('errors as data', () => {
  it('rebuilds an error that crossed a process boundary into its class, with its data and policy', () => {
    const sent = JSON.parse(JSON.stringify(new BudgetExceededError('stopped before turn 3', { budget: 'maxCostUsd' }).toData())) as unknown;
    const rebuilt = rebuildError(z.object({ code: z.string(), message: z.string(), data: z.unknown() }).parse(sent));
    expect(rebuilt).toBeInstanceOf(BudgetExceededError);
    expect(BudgetExceededError.is(rebuilt) && rebuilt.data.budget).toBe('maxCostUsd');
    expect(rebuilt.retryable).toBe(false);
    expect(ExitCode[rebuilt.exit]).toBe(ExitCode.budgetExhausted);
  });

  it('keeps the code of an error whose data does not fit its schema, so its policy still holds', () => {
    const rebuilt = rebuildError({ code: 'model_api_unavailable', message: 'down', data: { status: 'not a number' } });
    expect(rebuilt).not.toBeInstanceOf(ModelApiUnavailableError);
    expect(rebuilt.code).toBe('model_api_unavailable');
    expect(ExitCode[rebuilt.exit]).toBe(5);
  });

  it('treats a code nobody defined as a failure that is not retried', () => {
    const rebuilt = rebuildError({ code: 'something_new', message: 'from a newer worker' });
    expect(rebuilt).toBeInstanceOf(CoordinateError);
    expect([rebuilt.retryable, rebuilt.exit]).toEqual([false, 'taskFailed']);
  });

  it('refuses to define one code twice', () => {
    expect(() => defineError(TaskFailedError.code, z.unknown(), { retryable: true, exit: 'taskFailed' })).toThrow(/defined twice/);
    expect(errorPolicy('task_failed').retryable).toBe(false);
  });

  it('names a rebuilt class after its code', () => {
    expect(rebuildError({ code: 'task_failed', message: 'tests fail' }).name).toBe('TaskFailedError');
  });
});
