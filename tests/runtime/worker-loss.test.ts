import { afterEach, describe, expect, it } from 'vitest';
import { runPlan } from 'coordinate';
import { deterministic, isAlive, journalPath, readJournalFile, removeTempDirs, task, tempDir, waitFor } from './helpers.js';

afterEach(removeTempDirs);

describe('a worker killed mid-task', () => {
  it('has its task re-queued on another worker, and the run completes with the task applied once', async () => {
    const repoRoot = await tempDir();
    const pids = new Map<string, number>();
    let killed: { workerId: string; pid: number } | undefined;
    const outcome = await runPlan({
      repoRoot,
      runId: 'sigkill',
      goal: 'survive a crash',
      tasks: [task('victim'), task('bystander'), task('after', ['victim'])],
      workers: 2,
      executor: 'deterministic',
      prepare: (t, attempt) => deterministic(t.id === 'victim' && attempt === 1 ? { hang: true } : { sleepMs: 10 }),
      onEvent: (event) => {
        if (event.type === 'worker.joined') pids.set(event.workerId, event.pid);
        if (event.type === 'task.started' && event.taskId === 'victim' && event.attempt === 1) {
          killed = { workerId: event.workerId, pid: pids.get(event.workerId)! };
          process.kill(killed.pid, 'SIGKILL');
        }
      },
    });
    expect(outcome.outcome).toBe('succeeded');
    expect(killed).toBeDefined();
    await waitFor(() => !isAlive(killed!.pid), 'the killed worker to be gone');
    const events = await readJournalFile(journalPath(repoRoot, 'sigkill'));
    expect(events).toContainEqual(expect.objectContaining({ type: 'worker.lost', workerId: killed!.workerId, reason: expect.stringContaining('SIGKILL') }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'task.retried', taskId: 'victim', attempt: 1 }));
    const finished = events.filter((e) => e.type === 'task.finished' && e.taskId === 'victim');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ attempt: 2, result: { outcome: 'succeeded' } });
    expect(outcome.state.tasks.victim?.attempts.map((a) => a.status)).toEqual(['abandoned', 'succeeded']);
  });
});
