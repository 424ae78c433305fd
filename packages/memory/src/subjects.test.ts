import { describe, expect, it } from 'vitest';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

describe('facts kept straight: supersede only on the same subject', () => {
  it('keeps a fact about one file when a like fact about another file arrives', () => {
    const store = memory.open();
    const math = store.admit({ kind: 'fact', text: 'The helper in src/math.js had the wrong operator.' });
    const mul = store.admit({ kind: 'fact', text: 'The helper in src/mul.js had the wrong operator.' });
    expect(mul.action).toBe('inserted');
    expect(store.get(math.id)?.status).toBe('active');
    const scoped = store.retrieve({ query: 'helper operator', files: ['src/math.js'], tokenBudget: 1000 });
    expect(scoped[0]?.id).toBe(math.id);
    // The file the text names places the entry as an anchor would: well above the other file's fact.
    expect(scoped[0]!.score).toBeGreaterThan(scoped.find((entry) => entry.id === mul.id)!.score + 0.05);
  });

  it('keeps facts anchored on different files apart even when their words agree', () => {
    const store = memory.open();
    const a = store.admit({ kind: 'fact', text: 'The retry limit is 3.', files: ['src/http/client.ts'] });
    const b = store.admit({ kind: 'fact', text: 'The retry limit is 5.', files: ['src/queue/worker.ts'] });
    expect(b.action).toBe('inserted');
    expect(store.get(a.id)?.status).toBe('active');
  });

  it('still supersedes a fact about the same file whose value changed', () => {
    const store = memory.open();
    const a = store.admit({ kind: 'fact', text: 'The retry limit is 3.', files: ['src/http/client.ts'] });
    const b = store.admit({ kind: 'fact', text: 'The retry limit is 5.', files: ['src/http/client.ts'] });
    expect(b).toMatchObject({ action: 'superseded', superseded: [a.id] });
    expect(store.relations(b.id)).toContainEqual(expect.objectContaining({ from: b.id, type: 'supersedes', to: a.id }));
  });
});

describe('opposing directives on one scope', () => {
  it('holds both for the person when a task proposes the opposite of a directive', () => {
    const store = memory.open();
    const tabs = store.admit({ kind: 'directive', text: 'Always indent with tabs.' });
    const spaces = store.admit({ kind: 'directive', text: 'Never indent with tabs.', source: { runId: 'r1', taskId: 't1' } });
    expect(spaces.conflicts).toEqual([tabs.id]);
    expect(store.get(tabs.id)?.status).toBe('active');
    // A task's directive waits for the person as proposed, shown beside the one it opposes.
    expect(store.get(spaces.id)?.status).toBe('proposed');
    expect(store.conflicts().map((c) => [c.newer.id, c.older.id])).toEqual([[spaces.id, tabs.id]]);
  });

  it('closes the older directive when a person makes the opposite one', () => {
    const store = memory.open();
    const tabs = store.admit({ kind: 'directive', text: 'Always indent with tabs.' });
    const spaces = store.admit({ kind: 'directive', text: 'Never indent with tabs.' });
    expect(spaces).toMatchObject({ action: 'superseded', superseded: [tabs.id] });
    expect(store.get(tabs.id)?.status).toBe('superseded');
    expect(store.conflicts()).toEqual([]);
  });
});
