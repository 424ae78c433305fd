import { describe, expect, it } from 'vitest';
import { serialized } from './serialized.js';

describe('serialized', () => {
  it('runs jobs with the same key one at a time, in call order, even when one fails', async () => {
    const events: string[] = [];
    const job = (name: string, fail = false) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} end`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([serialized('k', job('a')), serialized('k', job('b', true)), serialized('k', job('c'))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets jobs with different keys overlap', async () => {
    const events: string[] = [];
    const job = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setImmediate(resolve));
      events.push(`${name} end`);
    };
    await Promise.all([serialized('x', job('x')), serialized('y', job('y'))]);
    expect(events.slice(0, 2)).toEqual(['x start', 'y start']);
  });
});
