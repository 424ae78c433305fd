import { describe, expect, it } from 'vitest';
import { toSnippet } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

function seed() {
  const store = memory.open();
  const ids = {
    limiter: store.admit({ kind: 'pitfall', text: 'createRateLimiter leaks timers in tests unless dispose() is called.', files: ['src/limiter.ts'] }).id,
    vitest: store.admit({ kind: 'fact', text: 'Unit tests run with vitest; integration tests need a Postgres container.' }).id,
    gateway: store.admit({ kind: 'convention', text: 'Gateway handlers validate request bodies with zod schemas before routing.', files: ['src/gateway/handler.ts'] }).id,
    generated: store.admit({ kind: 'directive', text: 'Never edit src/api/generated/** by hand; run `npm run codegen`.' }).id,
  };
  return { store, ids };
}

describe('retrieval', () => {
  it('finds an entry by a paraphrase of its words', () => {
    const { store, ids } = seed();
    const results = store.retrieve({ query: 'how are the request bodies of gateway handlers validated?', tokenBudget: 500 });
    expect(results[0]?.id).toBe(ids.gateway);
  });

  it('finds an entry by a fragment of a code identifier', () => {
    const { store, ids } = seed();
    expect(store.retrieve({ query: 'RateLimiter', tokenBudget: 500 }).map((r) => r.id)).toContain(ids.limiter);
  });

  it('ranks entries anchored on the task files first', () => {
    const { store, ids } = seed();
    const results = store.retrieve({ query: 'change the limiter defaults', files: ['src/limiter.ts'], tokenBudget: 500 });
    expect(results[0]?.id).toBe(ids.limiter);
  });

  it('returns an entry that shares two distinctive words with the question, however long the question', () => {
    const store = memory.open();
    for (let i = 0; i < 40; i++) store.admit({ kind: 'fact', text: `Release note ${i}: the build pipeline publishes artifact number ${i}.` });
    const target = store.admit({ kind: 'fact', text: 'Melanie painted a sunrise over the lake.' });
    const results = store.retrieve({
      query: 'Thinking back over everything that happened across all those months, what exactly did Melanie once paint, and was it a sunrise?',
      tokenBudget: 1000,
    });
    expect(results.map((r) => r.id)).toContain(target.id);
  });

  it('ranks entries about the person a question names above entries about someone else', () => {
    const store = memory.open();
    for (let i = 0; i < 30; i++) store.admit({ kind: 'fact', text: `Release note ${i}: the build pipeline publishes artifact number ${i}.` });
    const other = store.admit({ kind: 'fact', text: 'Caroline: I like hiking mountain trails near the lake.' }).id;
    const named = store.admit({ kind: 'fact', text: 'Melanie: mountain trails are lovely.' }).id;
    const results = store.retrieve({ query: 'Does Melanie like hiking mountain trails?', tokenBudget: 1000 }).map((r) => r.id);
    expect(results.slice(0, 2)).toEqual([named, other]);
  });

  it('returns nothing when nothing is relevant', () => {
    const { store } = seed();
    expect(store.retrieve({ query: 'rotate the kubernetes ingress certificates', tokenBudget: 500 })).toEqual([]);
  });

  it('always includes a directive guarding a file the task touches', () => {
    const { store, ids } = seed();
    const results = store.retrieve({ query: 'add a field to the user model', files: ['src/api/generated/user.ts'], tokenBudget: 1 });
    expect(results.map((r) => r.id)).toEqual([ids.generated]);
  });

  it('keeps one-line summaries with ids within the token budget', () => {
    const { store } = seed();
    const all = store.retrieve({ query: 'tests', tokenBudget: 1000 });
    expect(all.length).toBeGreaterThan(1);
    const budget = all[0]!.tokens;
    const cut = store.retrieve({ query: 'tests', tokenBudget: budget });
    expect(cut.reduce((sum, r) => sum + r.tokens, 0)).toBeLessThanOrEqual(budget);
    expect(cut).toHaveLength(1);
    for (const r of all) {
      expect(r.summary).toContain(r.id);
      expect(r.summary).not.toContain('\n');
      expect(toSnippet(r)).toEqual({ id: r.id, kind: r.kind, summary: r.summary });
    }
  });

  it('ranks an entry up as its uses pass and down as they fail', () => {
    const store = memory.open();
    const a = store.admit({ kind: 'procedure', text: 'To reset the cache run `npm run cache:reset` then restart the worker.' }).id;
    const b = store.admit({ kind: 'procedure', text: 'To reset the cache delete .cache/ and restart the worker process.' }).id;
    const order = () => store.retrieve({ query: 'how do I reset the cache and restart the worker', tokenBudget: 500 }).map((r) => r.id);
    expect(order()).toEqual(expect.arrayContaining([a, b]));
    const use = (id: string, task: string, passed: boolean) => {
      store.recordUse([id], { runId: 'r1', taskId: task });
      store.feedback({ runId: 'r1', taskId: task, passed });
    };
    for (let i = 0; i < 5; i++) use(b, `good-${i}`, true);
    expect(order()[0]).toBe(b);
    for (let i = 0; i < 5; i++) use(a, `a-good-${i}`, true);
    for (let i = 0; i < 2; i++) use(b, `bad-${i}`, false);
    expect(order()[0]).toBe(a);
  });

  it('lets twenty proven uses beat one lucky one', () => {
    const store = memory.open();
    const lucky = store.admit({ kind: 'fact', text: 'Snapshots are stored next to each test file in __snapshots__.' }).id;
    const proven = store.admit({ kind: 'fact', text: 'Snapshots are updated with vitest -u and reviewed in the pull request.' }).id;
    store.recordUse([lucky], { runId: 'r', taskId: 'once' });
    store.feedback({ runId: 'r', taskId: 'once', passed: true });
    for (let i = 0; i < 20; i++) {
      store.recordUse([proven], { runId: 'r', taskId: `t${i}` });
      store.feedback({ runId: 'r', taskId: `t${i}`, passed: true });
    }
    expect(store.retrieve({ query: 'snapshots', tokenBudget: 500 })[0]?.id).toBe(proven);
  });
});

describe('retrieval on notes of a conversation', () => {
  /** Admits `lines` as notes among twenty fillers; returns their ids and what `question` finds, best first. */
  function ask(lines: string[], filler: (i: number) => string, question: string) {
    const store = memory.open();
    const ids = lines.map((text) => store.admit({ kind: 'fact', text }).id);
    for (let i = 0; i < 20; i++) store.admit({ kind: 'fact', text: filler(i) });
    return { ids, found: store.retrieve({ query: question, tokenBudget: 1000 }).map((r) => r.id) };
  }

  it('ranks what the named person said above what was said to them', () => {
    // Both share the question's words; only who is speaking tells the answer from the question.
    const { ids: [byHer, toHer], found } = ask(
      ['Caroline: I planted roses in the garden behind the house.', 'Melanie: Caroline, did you plant roses in the garden?'],
      (i) => `Melanie: note ${i} about pottery class number ${i}.`,
      'What did Caroline plant in her garden?',
    );
    expect(found.indexOf(byHer!)).toBeGreaterThanOrEqual(0);
    expect(found.indexOf(byHer!)).toBeLessThan(found.indexOf(toHer!));
  });

  it('does not match the form of a question ("what kind of") as its topic', () => {
    const { ids: [thanks, art], found } = ask(
      ['Caroline: Thanks for the kind words, they make my day.', 'Caroline: My art is mostly abstract painting in oils.'],
      (i) => `Caroline: note ${i} about hiking trail number ${i}.`,
      'What kind of art does Caroline make?',
    );
    expect(found[0]).toBe(art);
    expect(found).not.toContain(thanks);
  });
});
