import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { JOURNAL_VERSION, readJournal, rebuildRunState, type JournalEvent } from 'coordinate';
import { emptyUsage, type TaskSpec } from '@coordinate/protocol';

/**
 * A plausible journal of `events` events in today's format: a run whose tasks go queued → assigned
 * → started → progress… → result (the worker's, journaled before its ack) → finished (the verdict).
 */
function syntheticJournal(events: number): JournalEvent[] {
  const perTask = 9;
  const taskCount = Math.ceil(events / perTask);
  const tasks: TaskSpec[] = Array.from({ length: taskCount }, (_, i) => ({
    id: `t${i}`,
    title: `task ${i}`,
    role: 'research',
    instructions: 'look around',
    dependsOn: i === 0 ? [] : [`t${i - 1}`],
  }));
  let ts = 1_700_000_000_000;
  const out: JournalEvent[] = [{ type: 'run.started', ts, journalVersion: JOURNAL_VERSION, runId: 'bench', url: 'ws://127.0.0.1:1', goal: 'bench', tasks, workers: 4 }];
  const usage = { ...emptyUsage(), inputTokens: 100, outputTokens: 10, requests: 1 };
  for (let i = 0; out.length < events; i++) {
    const taskId = `t${i}`;
    const step: JournalEvent[] = [
      { type: 'task.queued', ts: ++ts, taskId, rank: 1 },
      { type: 'task.assigned', ts: ++ts, taskId, attempt: 1, workerId: 'w1' },
      { type: 'task.started', ts: ++ts, taskId, attempt: 1, workerId: 'w1' },
      { type: 'task.progress', ts: ++ts, taskId, attempt: 1, summary: 'turn 1', usage },
      { type: 'task.progress', ts: ++ts, taskId, attempt: 1, summary: 'read_file src/a.ts', usage },
      { type: 'task.progress', ts: ++ts, taskId, attempt: 1, summary: 'read_file ok: 20 lines', usage },
      { type: 'task.progress', ts: ++ts, taskId, attempt: 1, summary: 'turn 2', usage },
      { type: 'task.result', ts: ++ts, taskId, attempt: 1, workerId: 'w1', result: { outcome: 'succeeded', summary: 'done', usage } },
      { type: 'task.finished', ts: ++ts, taskId, attempt: 1, result: { outcome: 'succeeded', summary: 'done', usage } },
    ];
    out.push(...step.slice(0, events - out.length));
  }
  return out;
}

/**
 * Rebuilding a run's state from a journal of `events` events, as `coordinate resume` and `show` do:
 * reading and validating every line, then replaying them. The median of `rounds` rounds, in ms.
 */
export async function measureJournalReplay(events: number, rounds = 7): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-bench-journal-'));
  try {
    const file = join(dir, 'journal.jsonl');
    await writeFile(file, syntheticJournal(events).map((event) => `${JSON.stringify(event)}\n`).join(''));
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      const state = rebuildRunState((await readJournal(file)).events);
      times.push(performance.now() - start);
      if (!state.run) throw new Error('the bench journal did not replay');
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
