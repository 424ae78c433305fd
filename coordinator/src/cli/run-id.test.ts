import { describe, expect, it } from 'vitest';
import { newRunId } from './run-id.js';

describe('run ids', () => {
  it('read as the UTC start time with a suffix, and sort in the order runs started', () => {
    const first = newRunId(new Date('2026-11-29T04:12:03Z'), () => 'zz99');
    const second = newRunId(new Date('2026-11-29T04:12:04Z'), () => 'aa00');
    expect(first).toBe('20261129-041203-zz99');
    expect([second, first].sort()).toEqual([first, second]);
    expect(newRunId()).toMatch(/^\d{8}-\d{6}-[0-9a-z]{4}$/);
  });
});
