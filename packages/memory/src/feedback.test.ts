import { describe, expect, it } from 'vitest';
import { quality, wilsonLowerBound } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

describe('feedback', () => {
  it('counts a use per task once, and settles it once', () => {
    const store = memory.open();
    const { id } = store.admit({ kind: 'fact', text: 'Migrations run with knex migrate:latest.' });
    store.recordUse([id, id], { runId: 'r1', taskId: 't1' });
    store.recordUse([id], { runId: 'r1', taskId: 't1' });
    expect(store.feedback({ runId: 'r1', taskId: 't1', passed: true }).updated).toEqual([id]);
    expect(store.feedback({ runId: 'r1', taskId: 't1', passed: false }).updated).toEqual([]);
    expect(store.get(id)).toMatchObject({ uses: 1, successes: 1, failures: 0 });
    expect(store.get(id)!.lastUsedAt).toBe(memory.clock.now);
  });

  it('quarantines an entry that keeps failing, then archives it', () => {
    const store = memory.open();
    const { id } = store.admit({ kind: 'procedure', text: 'Deploy previews with `make preview`.' });
    const fail = (task: string) => {
      store.recordUse([id], { runId: 'r', taskId: task });
      return store.feedback({ runId: 'r', taskId: task, passed: false });
    };
    fail('a');
    fail('b');
    expect(fail('c').quarantined).toEqual([id]);
    expect(store.get(id)!.status).toBe('quarantined');
    fail('d');
    fail('e');
    expect(fail('f').archived).toEqual([id]);
    expect(store.get(id)).toMatchObject({ status: 'archived', closeReason: expect.stringContaining('6 failed uses') });
    expect(store.list().map((e) => e.id)).not.toContain(id);
  });

  it('never quarantines a directive: failures are the task’s, not the rule’s', () => {
    const store = memory.open();
    const { id } = store.admit({ kind: 'directive', text: 'Never edit dist/** by hand.' });
    for (const task of ['a', 'b', 'c', 'd']) {
      store.recordUse([id], { runId: 'r', taskId: task });
      store.feedback({ runId: 'r', taskId: task, passed: false });
    }
    expect(store.get(id)!.status).toBe('active');
  });

  it('scores quality as a Wilson lower bound', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 3);
    expect(quality(20, 0)).toBeGreaterThan(quality(1, 0));
    expect(quality(0, 0)).toBeGreaterThan(quality(0, 1));
  });
});
