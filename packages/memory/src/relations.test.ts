import { describe, expect, it } from 'vitest';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

describe('relations between entries', () => {
  it('links two entries about one file through that file', () => {
    const store = memory.open();
    const a = store.admit({ kind: 'fact', text: 'The retry loop lives in src/net/retry.ts and backs off exponentially.' });
    const b = store.admit({ kind: 'convention', text: 'Every timeout constant is declared at the top of the module.', files: ['src/net/retry.ts'] });
    const about = (id: string) => store.relations(id).filter((r) => r.type === 'about').map((r) => r.to);
    expect(about(a.id)).toContain('file:src/net/retry.ts');
    expect(about(b.id)).toContain('file:src/net/retry.ts');
    expect(store.related(a.id).map((r) => r.id)).toContain(b.id);
  });

  it('records the people a note names, not the words that open its sentences', () => {
    const store = memory.open();
    const note = store.admit({
      kind: 'fact',
      text: 'Tim: Yeah, the race went well. So glad Maria came! Sounds like she wants to run with Maria again, and so do I. "Wow" was all I said.',
    });
    const names = store.relations(note.id).filter((r) => r.type === 'about' && r.to.startsWith('name:')).map((r) => r.to);
    expect(names.sort()).toEqual(['name:maria', 'name:tim']);
  });

  it('links two notes through a person both name, not through a reply both open with', () => {
    const store = memory.open();
    const first = store.admit({ kind: 'fact', text: 'Gina: Yeah, my brother Oliver fixed the bike.' });
    const second = store.admit({ kind: 'fact', text: 'Jon: Yeah, and the tent is dry now.' });
    const third = store.admit({ kind: 'fact', text: 'Jon: I met Oliver at the trail today.' });
    const related = (id: string) => store.related(id).map((r) => r.id);
    expect(related(third.id)).toContain(first.id);
    expect(related(second.id)).not.toContain(first.id);
  });

  it('links a pitfall to the change that fixed it', () => {
    const store = memory.open();
    const pitfall = store.admit({ kind: 'pitfall', text: 'parseConfig crashes on an empty config file.', files: ['src/config.ts'] });
    const fix = store.admit({ kind: 'fact', text: 'parseConfig was fixed to return the defaults for an empty file.', files: ['src/config.ts'] });
    expect(store.relations(pitfall.id)).toContainEqual(expect.objectContaining({ from: pitfall.id, type: 'fixed_by', to: fix.id }));
  });

  it('links the entries of one source in time order', () => {
    const store = memory.open();
    const source = { runId: 'r1', taskId: 't1' };
    const first = store.admit({ kind: 'fact', text: 'The staging database was migrated to Postgres 16.', source });
    const second = store.admit({ kind: 'fact', text: 'Its connection pool now holds forty connections.', source });
    expect(store.relations(second.id)).toContainEqual(expect.objectContaining({ from: second.id, type: 'follows', to: first.id }));
  });

  it('finds both entries of a two-hop question through their relation', () => {
    const store = memory.open();
    const source = { runId: 'r1', taskId: 'notes' };
    const question = store.admit({ kind: 'fact', text: 'Melanie asked which instrument Caroline learned during the winter.', source });
    // The answer shares no word with the question: only its relation to the first entry can find it.
    const answer = store.admit({ kind: 'fact', text: 'The violin, practised every evening!', source });
    for (let i = 0; i < 30; i++) store.admit({ kind: 'fact', text: `Filler note ${i} about gardening tomatoes in pot number ${i}.` });
    const found = store.retrieve({ query: 'which instrument did Caroline learn in winter?', tokenBudget: 1000, limit: 5 }).map((r) => r.id);
    expect(found).toContain(question.id);
    expect(found).toContain(answer.id);
  });

  it('round-trips relations through export and import', () => {
    const source = memory.open();
    const a = source.admit({ kind: 'pitfall', text: 'loadUser throws when the cache is cold.', files: ['src/users.ts'] });
    const b = source.admit({ kind: 'fact', text: 'loadUser was fixed to fall back to the database.', files: ['src/users.ts'] });
    const target = memory.open();
    target.importJson(JSON.parse(JSON.stringify(source.exportJson())));
    expect(target.relations(a.id)).toEqual(source.relations(a.id));
    expect(target.relations(b.id)).toContainEqual(expect.objectContaining({ from: a.id, type: 'fixed_by', to: b.id }));
  });
});
