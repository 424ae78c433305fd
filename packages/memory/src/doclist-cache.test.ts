import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();
const QUERY = { query: 'billing webhook deliveries', tokenBudget: 500 };
// The two share only the query's words, so only those words' doclists (kept from the first search) can find the later one.
const LOGGED = 'Billing webhook deliveries are logged to the audit table.';
const RETRIED = 'Billing webhook deliveries retry five times with exponential backoff.';

describe('the doclists a store keeps between searches', () => {
  it('answer a repeated search with an entry another coordinator admitted in between', () => {
    const file = join(memory.dir(), 'memory.db');
    const coordinator = memory.open(file);
    const other = memory.open(file);
    const logged = coordinator.admit({ kind: 'fact', text: LOGGED }).id;
    expect(coordinator.retrieve(QUERY).map((r) => r.id)).toEqual([logged]);

    const retried = other.admit({ kind: 'fact', text: RETRIED }).id;
    expect(coordinator.retrieve(QUERY).map((r) => r.id).sort()).toEqual([logged, retried].sort());
  });

  it('answer a repeated search with an entry the same store admitted in between', () => {
    const store = memory.open();
    const logged = store.admit({ kind: 'fact', text: LOGGED }).id;
    expect(store.retrieve(QUERY).map((r) => r.id)).toEqual([logged]);

    const retried = store.admit({ kind: 'fact', text: RETRIED }).id;
    expect(store.retrieve(QUERY).map((r) => r.id).sort()).toEqual([logged, retried].sort());
  });
});
