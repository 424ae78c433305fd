import { describe, expect, it } from 'vitest';
import { eventSpan, timesIn } from './temporal.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

describe('when a fact held', () => {
  it('resolves a relative date against the entry’s own date', () => {
    const written = Date.UTC(2023, 4, 8, 14);
    expect(eventSpan('I ran the charity race yesterday.', written)).toEqual({ from: day('2023-05-07'), to: day('2023-05-08') });
    expect(eventSpan('We moved in May.', Date.UTC(2024, 6, 1))).toEqual({ from: day('2024-05-01'), to: day('2024-06-01') });
    expect(timesIn('Nothing about time here.', written)).toEqual([]);
  });

  it('ranks the entry of the asked time first', () => {
    const store = memory.open();
    memory.clock.now = Date.UTC(2023, 2, 10);
    const march = store.admit({ kind: 'fact', text: 'Calvin bought a vintage guitar yesterday.' });
    memory.clock.now = Date.UTC(2023, 5, 10);
    store.admit({ kind: 'fact', text: 'Calvin bought a new amplifier for the guitar yesterday.' });
    const results = store.retrieve({ query: 'What did Calvin buy for his guitar in March 2023?', tokenBudget: 1000 });
    expect(results[0]?.id).toBe(march.id);
  });

  it('never ranks a superseded fact above the one that replaced it', () => {
    const store = memory.open();
    const old = store.admit({ kind: 'fact', text: 'The API listens on port 8080.' });
    const current = store.admit({ kind: 'fact', text: 'The API now listens on port 9090.' });
    const ids = store.retrieve({ query: 'which port does the API listen on', tokenBudget: 1000 }).map((r) => r.id);
    expect(ids[0]).toBe(current.id);
    expect(ids).not.toContain(old.id);
  });
});
