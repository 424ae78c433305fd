import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MEMORY_MD_MAX_LINES, type MemoryEntry, type MemoryExport } from './index.js';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();
const DAY = 86_400_000;

function entry(id: string, kind: MemoryEntry['kind'], body: string, patch: Partial<MemoryEntry> = {}): MemoryEntry {
  return {
    id, kind, title: body.slice(0, 80), body, tags: [], scope: 'repo', anchors: [], status: 'active', validFrom: Date.UTC(2024, 0, 1),
    supersedes: [], uses: 0, successes: 0, failures: 0, needsRevalidation: false, version: 1, createdAt: Date.UTC(2024, 0, 1),
    updatedAt: Date.UTC(2024, 0, 1), ...patch,
  };
}

/** Entries that admission would have merged or superseded, brought in as an import does. */
function untidyStore() {
  const dir = memory.dir();
  const store = memory.open(join(dir, 'memory.db'));
  const data: MemoryExport = {
    format: 'coordinate-memory', version: 1, exportedAt: 0, history: [], relations: [],
    entries: [
      entry('dup-a', 'convention', 'Integration tests live in the tests folder at the root.', { successes: 2, uses: 2 }),
      entry('dup-b', 'convention', 'Integration tests live in the root tests folder.', { uses: 1, failures: 1 }),
      entry('port-old', 'fact', 'The dev server listens on port 3000.', { validFrom: Date.UTC(2024, 0, 1), successes: 1 }),
      entry('port-new', 'fact', 'The dev server listens on port 4100.', { validFrom: Date.UTC(2024, 5, 1), successes: 3 }),
      entry('bad', 'procedure', 'Deploy previews with make preview.', { failures: 5, uses: 5 }),
      entry('stale', 'fact', 'The limiter allows ten requests.', { needsRevalidation: true, updatedAt: Date.UTC(2024, 0, 1) }),
      entry('rule', 'directive', 'Never edit src/generated/** by hand.'),
    ],
  };
  store.importJson(data);
  return { store, md: join(dir, 'MEMORY.md') };
}

describe('dream', () => {
  it('shows in a dry run what it would change, and changes nothing', async () => {
    const { store, md } = untidyStore();
    const before = store.exportJson();
    const report = await store.dream({ dryRun: true });
    expect(report.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'merge', keep: 'dup-a', merged: ['dup-b'] }),
        expect.objectContaining({ action: 'supersede', keep: 'port-new', closed: 'port-old' }),
        expect.objectContaining({ action: 'archive', id: 'bad' }),
        expect.objectContaining({ action: 'archive', id: 'stale' }),
      ]),
    );
    expect(report.changes).toHaveLength(4);
    expect(report.memoryMd).toMatchObject({ changed: true, path: md });
    expect(report.memoryMd.content).not.toContain('port 3000');
    expect(existsSync(md)).toBe(false);
    expect({ ...store.exportJson(), exportedAt: 0 }).toEqual({ ...before, exportedAt: 0 });
  });

  it('applies the same changes, keeps the losers with reasons, and writes MEMORY.md', async () => {
    const { store, md } = untidyStore();
    const planned = (await store.dream({ dryRun: true })).changes;
    const report = await store.dream();
    expect(report.changes).toEqual(planned);
    expect(store.list().map((e) => e.id).sort()).toEqual(['dup-a', 'port-new', 'rule']);
    expect(store.get('dup-b')).toMatchObject({ status: 'superseded', supersededBy: 'dup-a' });
    expect(store.get('dup-a')).toMatchObject({ uses: 3, successes: 2, failures: 1 });
    expect(store.get('port-old')).toMatchObject({ status: 'superseded', closeReason: expect.stringContaining('3000 → 4100') });
    expect(store.get('bad')!.status).toBe('archived');
    const text = readFileSync(md, 'utf8');
    expect(text).toBe(report.memoryMd.content);
    expect(text.indexOf('## Directives')).toBeLessThan(text.indexOf('## Conventions'));
    expect(text).toContain('Never edit src/generated/** by hand. (rule)');
    expect((await store.dream()).changes).toEqual([]);
  });

  it('lets a model hook rewrite merged duplicates and judge contradictions', async () => {
    const { store } = untidyStore();
    await store.dream({
      summarize: async () => ({ title: 'Integration tests', body: 'Integration tests live in /tests.' }),
      judge: async () => 'older',
    });
    expect(store.get('dup-a')!.body).toBe('Integration tests live in /tests.');
    expect(store.get('port-new')!.status).toBe('superseded');
    expect(store.get('port-old')!.status).toBe('active');
  });

  it("never closes or rewrites a person's directive in favour of a task's entry", async () => {
    const store = memory.open(join(memory.dir(), 'memory.db'));
    const task = { source: { runId: 'r1', taskId: 't1' } };
    store.importJson({
      format: 'coordinate-memory', version: 1, exportedAt: 0, history: [],
      entries: [
        entry('person', 'directive', 'Never edit files under src/generated.'),
        entry('task-contra', 'directive', 'Always edit files under src/generated.', { ...task, validFrom: Date.UTC(2024, 5, 1) }),
        entry('person-dup', 'directive', 'Never push to the main branch directly.'),
        entry('task-dup', 'directive', 'Never push directly to the main branch.', { ...task, successes: 9 }),
      ],
    });
    const report = await store.dream({ judge: async () => 'newer', summarize: async () => ({ title: 'Pushing', body: 'Push to main whenever.' }) });
    expect(store.get('person')!.status).toBe('active');
    expect(store.get('person-dup')).toMatchObject({ status: 'active', body: 'Never push to the main branch directly.' });
    expect(report.changes).toEqual([expect.objectContaining({ action: 'merge', keep: 'person-dup', merged: ['task-dup'] })]);
  });

  it('caps MEMORY.md at 200 lines, grouped by kind, directives first', async () => {
    const store = memory.open();
    const kinds = ['fact', 'convention', 'pitfall', 'procedure'] as const;
    for (let i = 0; i < 300; i++) {
      store.admit({ kind: kinds[i % 4]!, text: `Module m${i} keeps its state in table t${i} and logs to channel c${i}.` });
    }
    store.admit({ kind: 'directive', text: 'Never edit migrations/** after they ship.' });
    const text = store.renderMemoryMd();
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(MEMORY_MD_MAX_LINES);
    expect(lines.filter((l) => l.startsWith('## '))).toEqual(['## Directives', '## Conventions', '## Pitfalls', '## Procedures', '## Facts']);
    expect(text).toMatch(/and \d+ more/);
  });

  it('runs one dream at a time across coordinators', async () => {
    const { store } = untidyStore();
    const other = memory.open(store.file);
    let inner: Promise<unknown> | undefined;
    await store.dream({
      summarize: async (entries) => {
        inner = other.dream();
        await expect(inner).rejects.toMatchObject({ code: 'locked' });
        return entries[0]!;
      },
    });
    expect(inner).toBeDefined();
    await expect(other.dream()).resolves.toMatchObject({ dryRun: false });
  });

  it('dreams by itself once enough runs have ended', async () => {
    const store = memory.open();
    store.admit({ kind: 'fact', text: 'The queue is drained nightly.' });
    store.noteRun('r1');
    expect(await store.dreamIfDue({ every: 2 })).toBeUndefined();
    memory.clock.now += DAY;
    store.noteRun('r2');
    expect(await store.dreamIfDue({ every: 2 })).toMatchObject({ dryRun: false });
    expect(store.runsSinceDream()).toBe(0);
  });
});
