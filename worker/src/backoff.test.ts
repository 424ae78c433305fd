import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the cap', () => {
    const top = (n: number) => backoffDelay(n, { initialMs: 100, maxMs: 1_000, random: () => 1 });
    expect([0, 1, 2, 3, 4, 10, 100].map(top)).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('spreads retries over the upper half of the window, so workers do not knock in step', () => {
    expect(backoffDelay(2, { initialMs: 100, maxMs: 1_000, random: () => 0 })).toBe(200);
    expect(backoffDelay(2, { initialMs: 100, maxMs: 1_000, random: () => 0.5 })).toBe(300);
  });
});
