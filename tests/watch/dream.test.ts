import { appendFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMemory } from '@coordinate/memory';
import { cleanup, cliEnv, sampleRepo, scriptedServer, startCoordinate, waitFor } from '../cli/helpers.js';
import { receipts, stopForeground, ticks } from './helpers.js';

afterEach(cleanup);

describe('coordinate watch, memory', () => {
  it('consolidates memory when it is due and no run is under way, and waits while one is', async () => {
    const repo = await sampleRepo({ watch: { dream: { minRuns: 1, minHours: 0 } } });
    const memoryFile = join(repo, '.coordinate', 'memory.db');
    const memory = openMemory(memoryFile, { repoRoot: repo });
    memory.noteRun('20261130-010000-done');
    memory.close();
    // A run that started and has not finished: its journal was written a moment ago.
    const runDir = join(repo, '.coordinate', 'runs', '20261130-020000-busy');
    await mkdir(runDir, { recursive: true });
    const journal = join(runDir, 'journal.jsonl');
    await writeFile(journal, `${JSON.stringify({ type: 'run.started', ts: Date.now(), runId: '20261130-020000-busy', url: 'ws://127.0.0.1:1', goal: 'busy', tasks: [], workers: 1 })}\n`);
    const model = await scriptedServer({});
    const watcher = startCoordinate(['watch', '--every', '300ms'], { cwd: repo, env: cliEnv(model, { COORDINATE_WATCH_DESKTOP: '0' }) });

    const waiting = await ticks(repo, 3);
    for (const receipt of waiting) {
      expect(receipt.changed).toContain('memory consolidation due, waiting: run 20261130-020000-busy is under way');
      expect(receipt.decisions).toEqual([]);
    }
    expect(await stat(join(repo, '.coordinate', 'MEMORY.md')).catch(() => undefined)).toBeUndefined();

    await appendFile(journal, `${JSON.stringify({ type: 'run.finished', ts: Date.now(), outcome: 'succeeded' })}\n`);
    const dreamt = await waitFor(async () => (await receipts(repo)).flatMap((r) => r.decisions).find((d) => d.action === 'dream'), 'the dream', 30_000);
    await ticks(repo, (await receipts(repo)).length + 2);
    const result = await stopForeground(watcher);
    expect(result.exitCode, result.stderr).toBe(0);

    expect(dreamt).toMatchObject({ tier: 'record', outcome: 'done' });
    expect(dreamt.detail).toMatch(/^consolidated: \d+ changes?; .*MEMORY\.md$/);
    expect((await stat(join(repo, '.coordinate', 'MEMORY.md'))).isFile()).toBe(true);
    // Once done it is not due again: exactly one dream over all the ticks, and no model request.
    expect((await receipts(repo)).flatMap((r) => r.decisions).filter((d) => d.action === 'dream')).toHaveLength(1);
    expect(model.requests).toEqual([]);
  });
});
