import { describe, expect, it } from 'vitest';
import { extractSessionMemories, MemoryError, type MemoryExport } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();

describe('export and import', () => {
  it('round-trips every entry with its history into another store', () => {
    const source = memory.open();
    const old = source.admit({ kind: 'fact', text: 'The API listens on port 8080.', files: [{ path: 'src/server.ts', blobSha: 'b'.repeat(40) }] });
    source.admit({ kind: 'fact', text: 'The API now listens on port 9090.' });
    const data = JSON.parse(JSON.stringify(source.exportJson()));
    const target = memory.open();
    expect(target.importJson(data)).toEqual({ inserted: 2, updated: 0, skipped: 0, refused: 0 });
    expect(target.get(old.id)).toEqual(source.get(old.id));
    expect(target.history(old.id)).toEqual(source.history(old.id));
    expect(target.importJson(data)).toEqual({ inserted: 0, updated: 0, skipped: 2, refused: 0 });
    expect(target.retrieve({ query: 'which port does the API listen on', tokenBudget: 200 }).map((r) => r.id)).not.toContain(old.id);
  });

  it("previews adds, changes and archives, and refuses a reused id or a changed person's directive", () => {
    const store = memory.open();
    const rule = store.admit({ kind: 'directive', text: 'Never edit src/generated/**' });
    const fact = store.admit({ kind: 'fact', text: 'The API listens on port 8080.' });
    const pitfall = store.admit({ kind: 'pitfall', text: 'Jest fake timers break the limiter tests.' });
    const old = store.admit({ kind: 'fact', text: 'Releases are cut from the release branch.' });
    const data = JSON.parse(JSON.stringify(store.exportJson())) as MemoryExport;
    const byId = (id: string) => data.entries.find((entry) => entry.id === id)!;
    Object.assign(byId(rule.id), { status: 'archived', version: 2 });
    Object.assign(byId(fact.id), { kind: 'directive', body: 'Never run `*`.', version: 2 });
    Object.assign(byId(pitfall.id), { body: 'Jest fake timers break the limiter and queue tests.', version: 2 });
    Object.assign(byId(old.id), { status: 'archived', version: 2 });
    data.entries.push({ ...byId(old.id), id: 'm-new', status: 'active', version: 1 });
    const before = store.exportJson();

    const plan = store.previewImportJson(data);
    const byEntryId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(plan.changes.map((change) => ({ action: change.action, id: change.id })).sort(byEntryId)).toEqual(
      [
        { action: 'refuse', id: rule.id }, { action: 'refuse', id: fact.id }, { action: 'change', id: pitfall.id },
        { action: 'archive', id: old.id }, { action: 'add', id: 'm-new' },
      ].sort(byEntryId),
    );
    expect({ ...store.exportJson(), exportedAt: 0 }).toEqual({ ...before, exportedAt: 0 });
    expect(store.importJson(data)).toEqual({ inserted: 1, updated: 2, skipped: 0, refused: 2 });
    expect(store.get(rule.id)).toMatchObject({ status: 'active', version: 1 });
    expect(store.get(fact.id)).toMatchObject({ kind: 'fact', body: 'The API listens on port 8080.' });
    expect(store.compiledDirectives().map((directive) => directive.id)).toEqual([rule.id]);
  });

  it('refuses a file that is not an export, naming the problem', () => {
    const store = memory.open();
    expect(() => store.importJson({ entries: 'all of them' })).toThrow(MemoryError);
    expect(() => store.importJson({ format: 'coordinate-memory', version: 1, exportedAt: 0, entries: [{ id: 'x' }] })).toThrow(/entries\[0\]\.kind/);
  });
});

describe('session memory', () => {
  it('proposes the files touched, the errors met and the commands that worked', () => {
    const proposals = extractSessionMemories({
      runId: 'r1',
      taskId: 'impl-1',
      title: 'Add rate limiter',
      changedFiles: ['src/limiter.ts', 'src/limiter.test.ts'],
      commandsRun: [
        { command: 'npm test', exitCode: 1, excerpt: 'FAIL src/limiter.test.ts\nError: timers leaked after test' },
        { command: 'npm test', exitCode: 0, excerpt: 'ok' },
        { command: 'npx tsc --noEmit', exitCode: 0, excerpt: '' },
      ],
      transcriptEvents: [{ kind: 'tool_result', tool: 'edit_file', ok: false, summary: 'old_string not found in src/limiter.ts' }],
    });
    expect(proposals.map((p) => p.kind)).toEqual(['fact', 'procedure', 'procedure', 'pitfall', 'pitfall']);
    expect(proposals[0]).toMatchObject({ files: ['src/limiter.ts', 'src/limiter.test.ts'], source: { runId: 'r1', taskId: 'impl-1' } });
    expect(proposals[3]!.text).toContain('Error: timers leaked after test');
    expect(proposals[3]!.text).toContain('passed later');
    expect(proposals[4]!.text).toContain('old_string not found');
  });

  it('admits session proposals like any other, merging repeats across tasks', () => {
    const store = memory.open();
    const record = { runId: 'r1', taskId: 't1', commandsRun: [{ command: 'npm run lint', exitCode: 0, excerpt: '' }] };
    const [first] = extractSessionMemories(record).map((p) => store.admit(p));
    const [second] = extractSessionMemories({ ...record, taskId: 't2' }).map((p) => store.admit(p));
    expect(second).toEqual({ id: first!.id, action: 'merged' });
  });
});
