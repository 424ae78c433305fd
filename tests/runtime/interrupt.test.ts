import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, journalPath, readJournalFile, removeTempDirs, tempDir, waitFor } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/interrupt-run.mjs', import.meta.url));
const leftovers: number[] = [];
let coordinator: ResultPromise | undefined;

afterEach(async () => {
  coordinator?.kill('SIGKILL');
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await removeTempDirs();
});

/** Starts the fixture coordinator and resolves with its stdout events once three tasks run. */
async function startInterruptibleRun(repoRoot: string) {
  coordinator = execa(process.execPath, [fixture, repoRoot], { reject: false, timeout: 30_000 });
  const lines: Record<string, unknown>[] = [];
  coordinator.stdout!.setEncoding('utf8');
  let pending = '';
  coordinator.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line));
  });
  await waitFor(() => lines.filter((l) => l.type === 'task.started').length === 3, 'three tasks to start', 20_000);
  const pids = lines.filter((l) => l.type === 'worker.joined').map((l) => l.pid as number);
  leftovers.push(...pids);
  return { lines, pids, coordinator };
}

describe('Ctrl-C during a run', () => {
  it('cancels the tasks, stops every worker, and leaves no orphan process', async () => {
    const repoRoot = await tempDir();
    const { lines, pids, coordinator: running } = await startInterruptibleRun(repoRoot);
    expect(pids).toHaveLength(3);
    expect(pids.every(isAlive)).toBe(true);

    running.kill('SIGINT');
    const exit = await running;
    expect(exit.exitCode).toBe(0);
    expect(lines.find((l) => l.type === 'outcome')).toEqual({ type: 'outcome', outcome: 'interrupted' });
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'every worker process to be gone', 10_000);

    const events = await readJournalFile(journalPath(repoRoot, 'interrupt'));
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', outcome: 'interrupted' });
    expect(events.filter((e) => e.type === 'task.finished')).toHaveLength(0);
  });

  it('leaves no worker behind when the coordinator itself is killed outright', async () => {
    const repoRoot = await tempDir();
    const { pids, coordinator: running } = await startInterruptibleRun(repoRoot);
    expect(pids.every(isAlive)).toBe(true);
    running.kill('SIGKILL');
    await running;
    // The workers notice their parent is gone and stop on their own.
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'every orphaned worker to exit', 15_000);
  });
});
