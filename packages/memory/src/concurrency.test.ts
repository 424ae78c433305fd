import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempMemory } from './test-helpers.test-helper.js';

const memory = useTempMemory();
const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./test-fixtures/admit-many.mjs', import.meta.url));

describe('two or more coordinators sharing one database', () => {
  it('loses none of 4,000 entries admitted by 4 processes at once', async () => {
    const file = join(memory.dir(), 'memory.db');
    const workers = ['p1', 'p2', 'p3', 'p4'];
    const outputs = await Promise.all(workers.map((worker) => run(process.execPath, [fixture, file, worker, '1000'], { timeout: 120_000 })));
    expect(outputs.map((o) => JSON.parse(o.stdout))).toEqual(workers.map((worker) => ({ worker, admitted: 1000 })));
    const store = memory.open(file);
    const entries = store.list();
    expect(entries).toHaveLength(4000);
    expect(new Set(entries.map((e) => e.title)).size).toBe(4000);
    for (const worker of workers) expect(entries.filter((e) => e.source?.runId === `run-${worker}`)).toHaveLength(1000);
  }, 150_000);
});
