import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { emptyUsage, formatZodError } from '@coordinate/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalEvent } from './events.js';
import { readJournal } from './read.js';

const usage = { ...emptyUsage(), inputTokens: 100, outputTokens: 10, requests: 1 };
const result = { outcome: 'succeeded', summary: 'done', usage, changedFiles: ['a.ts'] };

/** One attempt's lines as a run writes them: its usage repeated by every progress report, its result twice. */
const lines = [
  { type: 'task.progress', ts: 1, taskId: 't1', attempt: 1, summary: 'turn 1', usage },
  { type: 'task.progress', ts: 2, taskId: 't1', attempt: 1, summary: 'read_file a.ts', usage: { ...usage }, extra: 'stripped' },
  { type: 'task.progress', ts: 3, taskId: 't1', attempt: 1, summary: 'turn 2', usage: { ...usage, requests: 2 } },
  { type: 'task.result', ts: 4, taskId: 't1', attempt: 1, workerId: 'w1', result },
  { type: 'task.finished', ts: 5, taskId: 't1', attempt: 1, result: { ...result, usage: { ...usage } } },
];

let dir: string;
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

async function journalOf(events: unknown[]): Promise<string> {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-journal-'));
  const file = path.join(dir, 'journal.jsonl');
  await fs.writeFile(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
  return file;
}

describe('reading a journal whose lines repeat a payload', () => {
  it('gives every event exactly as validating its line alone does, unknown keys dropped', async () => {
    const { events } = await readJournal(await journalOf(lines));
    expect(events).toEqual(lines.map((line) => JournalEvent.parse(line)));
    expect(events[1]).not.toHaveProperty('extra');
  });

  it('still refuses a bad line whose payload repeats the last one, with the error of the line alone', async () => {
    const bad = { ...lines[1], attempt: 0 };
    const expected = `line 2 is not a journal event (${formatZodError(JournalEvent.safeParse(bad).error!)})`;
    const file = await journalOf([lines[0], bad, lines[2]]);
    await expect(readJournal(file)).rejects.toMatchObject({ code: 'corrupt_journal', message: expect.stringContaining(expected), data: { line: 2 } });
  });

  it('still refuses a repeated-looking payload that differs from the last one and is bad', async () => {
    const bad = { ...lines[1], usage: { ...usage, requests: -1 } };
    const file = await journalOf([lines[0], bad, lines[2]]);
    await expect(readJournal(file)).rejects.toMatchObject({ code: 'corrupt_journal', message: expect.stringMatching(/line 2 is not a journal event \(.*requests/), data: { line: 2 } });
  });
});
