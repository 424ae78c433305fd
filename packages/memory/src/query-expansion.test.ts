import { describe, expect, it } from 'vitest';
import { feedbackTerms } from './query-expansion.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

function fillers(store: ReturnType<typeof memory.open>, n: number) {
  for (let i = 0; i < n; i++) store.admit({ kind: 'fact', text: `Release note ${i}: the build pipeline publishes artifact number ${i}.` });
}

describe('query expansion from the first hits', () => {
  it('finds an entry that shares no word with the question through the words of the first hit', () => {
    const store = memory.open();
    fillers(store, 30);
    const first = store.admit({ kind: 'fact', text: 'Melanie adopted a tabby cat from the shelter.' }).id;
    // Not one word of the question: only the first hit's "tabby cat" leads here.
    const second = store.admit({ kind: 'fact', text: 'the tabby cat knocked the vase off the shelf again' }).id;
    const found = store.retrieve({ query: 'What pet did Melanie get from the shelter?', tokenBudget: 1000, limit: 5 }).map((r) => r.id);
    expect(found[0]).toBe(first);
    expect(found).toContain(second);
  });

  it('expands by distinctive words the question does not say, weighted by the hits that hold them', () => {
    const df = (term: string) => ({ cat: 3, tabby: 2, luna: 1, shelter: 2, the: 400 })[term] ?? 0;
    const terms = feedbackTerms(
      [
        { terms: 'tabby cat shelter luna', score: 1 },
        { terms: 'cat the', score: 0.5 },
      ],
      new Set(['shelter']),
      df,
      500,
    );
    // "shelter" is the question's own word, "luna" reaches no other entry, "the" is in most of them.
    expect(terms.map((t) => t.term)).toEqual(['cat', 'tabby']);
  });
});
