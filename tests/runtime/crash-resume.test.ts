import { readFile, truncate } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyUsage } from '@coordinate/protocol';
import { journalPath, RawClient, readJournalFile, removeTempDirs, tempDir, TOKEN, waitFor } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/crash-run.mjs', import.meta.url));
const coordinators: ResultPromise[] = [];
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const coordinator of coordinators.splice(0)) {
    coordinator.kill('SIGKILL');
    await coordinator;
  }
  await removeTempDirs();
});

/** Starts the fixture coordinator and resolves with its listen URL and the JSON lines it prints. */
async function startCoordinator(repoRoot: string, mode: 'start' | 'resume') {
  const coordinator = execa(process.execPath, [fixture, repoRoot, TOKEN, mode], { reject: false, timeout: 30_000 });
  coordinators.push(coordinator);
  const lines: Record<string, unknown>[] = [];
  let pending = '';
  coordinator.stdout.setEncoding('utf8');
  coordinator.stdout.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const url = await waitFor(() => lines.find((l) => l.type === 'run.started' || l.type === 'run.resumed')?.url as string | undefined, 'the coordinator to listen');
  return { coordinator, lines, url };
}

async function connect(url: string): Promise<RawClient> {
  const client = await RawClient.connect(url);
  clients.push(client);
  return client;
}

/**
 * What a machine's crash may take from the journal: every line after the last sync the run waited
 * for. The reservation of the attempt a worker was told about is the last line the contract keeps.
 */
async function loseUnsyncedLines(file: string, taskId: string, attempt: number): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const reservation = lines.findIndex((line) => {
    const event = line ? (JSON.parse(line) as { type: string; taskId?: string; attempt?: number }) : undefined;
    return event?.type === 'task.queued' && event.taskId === taskId && event.attempt === attempt;
  });
  expect(reservation, `the journal reserves attempt ${attempt} of ${taskId}`).toBeGreaterThanOrEqual(0);
  await truncate(file, Buffer.byteLength(lines.slice(0, reservation + 1).join('\n') + '\n'));
}

describe('a coordinator killed right after a dispatch', () => {
  it('resumes without reusing the attempt a worker was told of, and the task completes exactly once', async () => {
    const repoRoot = await tempDir();
    const first = await startCoordinator(repoRoot, 'start');
    const worker = await connect(first.url);
    await worker.hello();
    const assigned = await worker.next('task.assign', (m) => m.taskId === 'only');
    worker.send({ type: 'task.accepted', taskId: 'only', attempt: assigned.attempt });
    first.coordinator.kill('SIGKILL');
    await first.coordinator;
    worker.close();
    // The machine went down with the process: the assignment itself never reached the disk.
    const journal = journalPath(repoRoot, 'crash');
    await loseUnsyncedLines(journal, 'only', assigned.attempt);

    const second = await startCoordinator(repoRoot, 'resume');
    const rejoined = await connect(second.url);
    await rejoined.hello();
    const reassigned = await rejoined.next('task.assign', (m) => m.taskId === 'only');
    expect(reassigned.attempt).toBeGreaterThan(assigned.attempt);

    // The worker still finishing the attempt it was given before the crash: its answer does not count.
    rejoined.send({ type: 'task.result', taskId: 'only', attempt: assigned.attempt, result: { outcome: 'succeeded', summary: 'before the crash', usage: emptyUsage() } });
    expect((await rejoined.next('error')).error).toMatchObject({ code: 'stale_attempt', data: { taskId: 'only', attempt: assigned.attempt } });
    rejoined.send({ type: 'task.result', taskId: 'only', attempt: reassigned.attempt, result: { outcome: 'succeeded', summary: 'after the resume', usage: emptyUsage() } });
    await rejoined.next('task.ack', (m) => m.attempt === reassigned.attempt);
    await waitFor(() => second.lines.find((l) => l.type === 'outcome'), 'the resumed run to end');
    expect(second.lines.find((l) => l.type === 'outcome')).toEqual({ type: 'outcome', outcome: 'succeeded' });

    const events = await readJournalFile(journal);
    const finished = events.filter((e) => e.type === 'task.finished');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ taskId: 'only', attempt: reassigned.attempt, result: { summary: 'after the resume' } });
    expect(events).toContainEqual(expect.objectContaining({ type: 'result.dropped', taskId: 'only', attempt: assigned.attempt }));
  });
});
