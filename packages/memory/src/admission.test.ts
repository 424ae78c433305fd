import { describe, expect, it } from 'vitest';
import { MemoryError } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

describe('admission', () => {
  it('merges the same text proposed twice into one entry and counts a new version', () => {
    const store = memory.open();
    const first = store.admit({ kind: 'fact', text: 'Tests run with vitest in forks mode.', tags: ['testing'] });
    const again = store.admit({ kind: 'fact', text: 'tests run with Vitest in forks mode', tags: ['ci'] });
    expect(first.action).toBe('inserted');
    expect(again).toEqual({ id: first.id, action: 'merged' });
    const entry = store.get(first.id)!;
    expect(entry.version).toBe(2);
    expect(entry.tags.sort()).toEqual(['ci', 'testing']);
    expect(store.list()).toHaveLength(1);
  });

  it('merges a near duplicate worded a little differently', () => {
    const store = memory.open();
    const first = store.admit({ kind: 'convention', text: 'Integration tests live in the tests folder at the root.' });
    const near = store.admit({ kind: 'convention', text: 'Integration tests live in the root tests folder.' });
    expect(near).toEqual({ id: first.id, action: 'merged' });
  });

  it('closes a contradicted entry, keeps it with the reason, and links the two', () => {
    const store = memory.open();
    const old = store.admit({ kind: 'fact', text: 'The dev server listens on port 3000.' });
    memory.clock.now += 1000;
    const update = store.admit({ kind: 'fact', text: 'The dev server now listens on port 4100.' });
    expect(update).toMatchObject({ action: 'superseded', superseded: [old.id] });
    const closed = store.get(old.id)!;
    expect(closed.status).toBe('superseded');
    expect(closed.validTo).toBe(memory.clock.now);
    expect(closed.supersededBy).toBe(update.id);
    expect(closed.closeReason).toContain('3000 → 4100');
    expect(store.get(update.id)!.supersedes).toEqual([old.id]);
    expect(store.list().map((e) => e.id)).toEqual([update.id]);
    expect(store.list({ includeArchived: true })).toHaveLength(2);
    expect(store.history(old.id).map((h) => h.action)).toEqual(['admitted', 'superseded']);
  });

  it('treats a statement of the opposite polarity as a contradiction', () => {
    const store = memory.open();
    const old = store.admit({ kind: 'convention', text: 'Use default exports for React components.' });
    const update = store.admit({ kind: 'convention', text: 'Do not use default exports for React components.' });
    expect(update.superseded).toEqual([old.id]);
  });

  it('keeps separate entries about different things even when the sentences look alike', () => {
    const store = memory.open();
    const a = store.admit({ kind: 'convention', text: 'Never run `npm run deploy:billing` from a laptop.' });
    const b = store.admit({ kind: 'convention', text: 'Never run `npm run deploy:auth` from a laptop.' });
    const c = store.admit({ kind: 'fact', text: 'The billing service retries webhooks three times.' });
    const d = store.admit({ kind: 'fact', text: 'The auth service retries webhooks three times.' });
    expect([a, b, c, d].map((r) => r.action)).toEqual(['inserted', 'inserted', 'inserted', 'inserted']);
  });

  it('marks "never …" and "always …" statements as directives', () => {
    const store = memory.open();
    const never = store.admit({ kind: 'convention', text: 'Never touch the generated client in src/api/generated/.' });
    const always = store.admit({ kind: 'fact', text: 'Always run the linter before committing.' });
    const plain = store.admit({ kind: 'fact', text: 'The linter is eslint with the flat config.' });
    expect(store.get(never.id)!.kind).toBe('directive');
    expect(store.get(always.id)!.kind).toBe('directive');
    expect(store.get(plain.id)!.kind).toBe('fact');
  });

  it('records the source run and task, and anchors with their blob ids', () => {
    const store = memory.open();
    const sha = 'a'.repeat(40);
    const { id } = store.admit({
      kind: 'pitfall',
      text: 'createRateLimiter leaks timers unless dispose() is called.',
      files: [{ path: 'src/limiter.ts', blobSha: sha }],
      source: { runId: 'r1', taskId: 'impl-1' },
    });
    expect(store.get(id)).toMatchObject({ source: { runId: 'r1', taskId: 'impl-1' }, anchors: [{ path: 'src/limiter.ts', blobSha: sha }] });
  });

  it('refuses an invalid proposal with an error naming the field', () => {
    const store = memory.open();
    expect(() => store.admit({ kind: 'rumour' as never, text: 'x' })).toThrow(MemoryError);
    expect(() => store.admit({ kind: 'fact', text: '   ' })).toThrow(/text/);
  });
});

describe('directive authority', () => {
  it("lets no task's proposal supersede a directive a person wrote", () => {
    const store = memory.open();
    const person = store.admit({ kind: 'directive', text: 'Never edit files under src/generated.' });
    memory.clock.now += 1000;
    const fromTask = store.admit({ kind: 'directive', text: 'Always edit files under src/generated.', source: { runId: 'r1', taskId: 't1' } });
    expect(fromTask.action).not.toBe('superseded');
    expect(store.get(person.id)!.status).toBe('active');
  });

  it("keeps a task's directive proposed: out of prompts and enforcement until a person accepts it", () => {
    const store = memory.open();
    const proposed = store.admit({ kind: 'convention', text: 'Never run `*`.', source: { runId: 'r1', taskId: 't1' } });
    expect(proposed.action).toBe('proposed');
    expect(store.get(proposed.id)!).toMatchObject({ kind: 'directive', status: 'proposed' });
    expect(store.list().map((entry) => entry.id)).toContain(proposed.id);
    expect(store.compiledDirectives()).toEqual([]);
    expect(store.retrieve({ query: 'run a command *', tokenBudget: 400 }).map((entry) => entry.id)).not.toContain(proposed.id);

    expect(store.accept(proposed.id).status).toBe('active');
    expect(store.compiledDirectives().map((directive) => directive.id)).toEqual([proposed.id]);
    expect(store.history(proposed.id).map((event) => event.action)).toEqual(['admitted', 'accepted']);
  });

  it("does not let a task's proposed directive close anything, and accepts only proposed entries", () => {
    const store = memory.open();
    const fact = store.admit({ kind: 'fact', text: 'The dev server listens on port 3000.', source: { runId: 'r0', taskId: 't0' } });
    memory.clock.now += 1000;
    const fromTask = store.admit({ kind: 'directive', text: 'Never edit files under src/generated.', source: { runId: 'r1', taskId: 't1' } });
    const person = store.admit({ kind: 'directive', text: 'Always edit files under src/generated.' });
    expect(store.get(fromTask.id)!.status).toBe('proposed');
    expect(person.action).toBe('inserted');
    expect(() => store.accept(fact.id)).toThrow(expect.objectContaining({ code: 'invalid_input', message: expect.stringMatching(/is active, not proposed/) }));
    expect(() => store.accept('m-missing')).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('refuses a proposal that holds a secret', () => {
    const store = memory.open();
    expect(() => store.admit({ kind: 'fact', text: `The deploy token is ghp_${'R8sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2o'}` })).toThrow(/holds a secret \(github\)/);
  });

  it('admits a batch as one by one: a later proposal supersedes an earlier one of the same batch', () => {
    const store = memory.open();
    const results = store.admitMany([
      { kind: 'fact', text: 'The dev server listens on port 3000.' },
      { kind: 'fact', text: 'Releases are tagged from the main branch.' },
      { kind: 'fact', text: 'The dev server now listens on port 4100.' },
    ]);
    expect(results.map((r) => r.action)).toEqual(['inserted', 'inserted', 'superseded']);
    expect(results[2]).toMatchObject({ superseded: [results[0]!.id] });
    expect(store.get(results[0]!.id)!.status).toBe('superseded');
    expect(store.list().map((e) => e.id).sort()).toEqual([results[1]!.id, results[2]!.id].sort());
  });

  it('writes nothing of a batch when one proposal in it is refused', () => {
    const store = memory.open();
    const batch = [
      { kind: 'fact' as const, text: 'Releases are tagged from the main branch.' },
      { kind: 'fact' as const, text: `The deploy token is ghp_${'R8sT2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2o'}` },
    ];
    expect(() => store.admitMany(batch)).toThrow(expect.objectContaining({ code: 'secret_in_proposal' }));
    expect(store.list({ includeArchived: true })).toEqual([]);
  });
});
