import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TaskSpec } from '@coordinate/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewJournalEvent } from '../journal/events.js';
import { loadResumeState } from './resume.js';

const tasks: TaskSpec[] = ['a', 'b'].map((id) => ({ id, title: id, role: 'research', instructions: id, dependsOn: [] }));
const started = (journalVersion?: number): NewJournalEvent => ({ type: 'run.started', ...(journalVersion ? { journalVersion } : {}), runId: 'r', url: 'ws://127.0.0.1:1', goal: 'g', tasks, workers: 1 });

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'coordinate-resume-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function resumeFrom(events: NewJournalEvent[]) {
  const file = path.join(dir, 'journal.jsonl');
  await fs.writeFile(file, events.map((event, i) => `${JSON.stringify({ ts: i + 1, ...event })}\n`).join(''));
  return loadResumeState(file, tasks);
}

describe('resuming a run', () => {
  it('starts a task above the attempt its journal reserved, though no assignment of it reached the disk', async () => {
    const { initial } = await resumeFrom([
      started(4),
      { type: 'task.queued', taskId: 'a', rank: 1, attempt: 1 },
      { type: 'task.assigned', taskId: 'a', attempt: 1, workerId: 'w1' },
      { type: 'task.retried', taskId: 'a', attempt: 1, reason: 'worker w1 lost' },
      { type: 'task.queued', taskId: 'a', rank: 1, attempt: 2 },
      { type: 'task.queued', taskId: 'b', rank: 1, attempt: 1 },
    ]);
    expect(initial.get('a')).toEqual({ status: 'waiting', attempt: 2 });
    expect(initial.get('b')).toEqual({ status: 'waiting', attempt: 1 });
  });

  it('reads a version 3 journal, whose queued tasks reserve nothing, by its assignments', async () => {
    const { initial } = await resumeFrom([
      started(3),
      { type: 'task.queued', taskId: 'a', rank: 1 },
      { type: 'task.assigned', taskId: 'a', attempt: 1, workerId: 'w1' },
      { type: 'task.queued', taskId: 'b', rank: 1 },
    ]);
    expect(initial.get('a')).toEqual({ status: 'waiting', attempt: 1 });
    expect(initial.get('b')).toEqual({ status: 'waiting', attempt: 0 });
  });
});
