import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emptyUsage, type TaskSpec } from '@coordinate/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalError } from './errors.js';
import type { NewJournalEvent } from './events.js';
import { Journal } from './journal.js';
import { readJournal } from './read.js';

const task: TaskSpec = { id: 't1', title: 'Look around', role: 'research', instructions: 'read the code', dependsOn: [] };
const started: NewJournalEvent = { type: 'run.started', runId: 'r1', url: 'ws://127.0.0.1:1234', goal: 'ship it', tasks: [task], workers: 2 };
const queued: NewJournalEvent = { type: 'task.queued', taskId: 't1', rank: 1 };
const finished: NewJournalEvent = {
  type: 'task.finished',
  taskId: 't1',
  attempt: 1,
  result: { outcome: 'succeeded', summary: 'done', usage: { ...emptyUsage(), inputTokens: 10 } },
};

let dir: string;
let file: string;
const open: Journal[] = [];

async function openJournal(options?: Parameters<typeof Journal.open>[1]): Promise<Journal> {
  const journal = await Journal.open(file, options);
  open.push(journal);
  return journal;
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-journal-'));
  file = path.join(dir, 'runs', 'r1', 'journal.jsonl');
});
afterEach(async () => {
  for (const journal of open.splice(0)) await journal.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('Journal', () => {
  it('round-trips appended events, stamped with the time, through readJournal', async () => {
    let now = 1000;
    const journal = await openJournal({ now: () => now++ });
    const written = [journal.append(started), journal.append(queued), journal.append({ ...finished, ts: 5 })];
    expect(written.map((e) => e.ts)).toEqual([1000, 1001, 5]);
    await journal.sync();
    const { events, tornTail } = await readJournal(file);
    expect(tornTail).toBe(false);
    expect(events).toEqual(written);
    const text = await fs.readFile(file, 'utf8');
    expect(text.split('\n')).toHaveLength(4);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('writes the lines appended in one turn of the event loop with one write, before the next turn, without a close', async () => {
    const journal = await openJournal();
    journal.append(started);
    journal.append(queued);
    await new Promise((resolve) => setImmediate(resolve));
    expect(journal.writes).toBe(1);
    // A second journal on the same file sees both lines, as a coordinator restarted after a crash would.
    const again = await openJournal();
    again.append(finished);
    await again.sync();
    const { events } = await readJournal(file);
    expect(events.map((e) => e.type)).toEqual(['run.started', 'task.queued', 'task.finished']);
  });

  it('refuses an invalid event with invalid_event and writes nothing', async () => {
    const journal = await openJournal();
    journal.append(started);
    const bad = { type: 'task.finished', taskId: '../t1', attempt: 0, result: { outcome: 'maybe' } } as unknown as NewJournalEvent;
    expect(() => journal.append(bad)).toThrow(JournalError);
    expect(() => journal.append(bad)).toThrow(
      expect.objectContaining({ code: 'invalid_event', message: expect.stringMatching(/invalid task\.finished/) }),
    );
    expect(() => journal.append({ type: 'no.such' } as unknown as NewJournalEvent)).toThrow(/invalid/);
    await journal.sync();
    expect((await readJournal(file)).events).toHaveLength(1);
  });

  it('tolerates a torn last line when reading and cuts it off at the next open', async () => {
    const journal = await openJournal();
    journal.append(started);
    journal.append(queued);
    await journal.close();
    await fs.appendFile(file, '{"type":"task.assigned","taskId":"t1","att');

    const torn = await readJournal(file);
    expect(torn.tornTail).toBe(true);
    expect(torn.events.map((e) => e.type)).toEqual(['run.started', 'task.queued']);

    const reopened = await openJournal();
    reopened.append({ type: 'task.assigned', taskId: 't1', attempt: 1, workerId: 'w1' });
    await reopened.sync();
    const repaired = await readJournal(file);
    expect(repaired.tornTail).toBe(false);
    expect(repaired.events.map((e) => e.type)).toEqual(['run.started', 'task.queued', 'task.assigned']);
  });

  it('tolerates a complete but invalid last line', async () => {
    const journal = await openJournal();
    journal.append(started);
    await journal.sync();
    await fs.appendFile(file, '{"type":"task.queued"}\n');
    const { events, tornTail } = await readJournal(file);
    expect(tornTail).toBe(true);
    expect(events).toHaveLength(1);
  });

  it('names the line number of a damaged line in the middle, when reading and when opening', async () => {
    const journal = await openJournal();
    journal.append(started);
    await journal.sync();
    await fs.appendFile(file, 'not json at all\n');
    journal.append(queued);
    await journal.sync();
    await expect(readJournal(file)).rejects.toMatchObject({ code: 'corrupt_journal', message: expect.stringMatching(/line 2 is not valid JSON/) });
    await expect(Journal.open(file)).rejects.toMatchObject({ code: 'corrupt_journal', data: { line: 2 } });
  });

  it('reads a journal without a format version (version 1) and refuses a newer version by name', async () => {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const line = (event: object) => `${JSON.stringify({ ts: 1, ...event })}\n`;
    await fs.writeFile(file, line(started) + line(queued));
    expect((await readJournal(file)).events.map((e) => e.type)).toEqual(['run.started', 'task.queued']);
    await fs.writeFile(file, line({ ...started, journalVersion: 99, somethingNew: true }) + line({ type: 'task.teleported' }));
    const refusal = { code: 'unsupported_journal_version', message: expect.stringMatching(/format version 99, but this coordinate reads versions 1 to \d/) };
    await expect(readJournal(file)).rejects.toMatchObject(refusal);
    await expect(Journal.open(file)).rejects.toMatchObject(refusal);
  });

  it('reports a missing journal with not_found and refuses appends after close', async () => {
    await expect(readJournal(path.join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'not_found' });
    const journal = await openJournal();
    await journal.close();
    expect(() => journal.append(queued)).toThrow(expect.objectContaining({ code: 'closed' }));
  });

  it('makes a burst of appends durable with one shared fsync, and syncs nothing when nothing is new', async () => {
    const journal = await openJournal();
    const before = journal.syncs;
    const waits: Promise<void>[] = [];
    for (let attempt = 1; attempt <= 50; attempt++) {
      journal.append({ type: 'task.assigned', taskId: 't1', attempt, workerId: 'w1' });
      waits.push(journal.sync());
    }
    await Promise.all(waits);
    expect(journal.syncs - before).toBe(1);
    await journal.sync();
    expect(journal.syncs - before).toBe(1);
    expect((await readJournal(file)).events).toHaveLength(50);
  });

  it('covers a line appended while an fsync is running with another fsync', async () => {
    const journal = await openJournal();
    journal.append(started);
    const before = journal.syncs;
    const first = journal.sync();
    await Promise.resolve(); // the fsync is under way now
    expect(journal.syncs - before).toBe(1);
    journal.append(queued);
    const second = journal.sync();
    expect(second).not.toBe(first);
    await Promise.all([first, second]);
    expect(journal.syncs - before).toBe(2);
    const settled = journal.syncs;
    await journal.close();
    expect(journal.syncs).toBe(settled);
  });
});
