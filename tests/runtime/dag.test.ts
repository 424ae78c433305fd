import { appendFile, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runPlan } from 'coordinate';
import { deterministic, journalPath, layeredDag, readJournalFile, removeTempDirs, task, tempDir, TOKEN } from './helpers.js';

afterEach(removeTempDirs);

describe('running a task graph on worker processes', () => {
  it('completes a 20-task DAG on 4 workers, every dependency finished before its dependents started', async () => {
    const repoRoot = await tempDir();
    const tasks = layeredDag(5, 4);
    const outcome = await runPlan({
      repoRoot,
      runId: 'dag20',
      goal: 'run twenty tasks',
      tasks,
      workers: 4,
      executor: 'deterministic',
      token: TOKEN,
      prepare: (t) => deterministic({ sleepMs: 20, write: { name: 'notes.md', content: `notes of ${t.id}` } }),
    });
    expect(outcome.outcome).toBe('succeeded');
    const events = await readJournalFile(journalPath(repoRoot, 'dag20'));
    const finishedAt = new Map<string, number>();
    const assignedAt = new Map<string, number>();
    events.forEach((event, index) => {
      if (event.type === 'task.finished' && event.result.outcome === 'succeeded') finishedAt.set(event.taskId, index);
      if (event.type === 'task.assigned' && !assignedAt.has(event.taskId)) assignedAt.set(event.taskId, index);
    });
    expect(finishedAt.size).toBe(20);
    for (const t of tasks) for (const dep of t.dependsOn) expect(finishedAt.get(dep)!).toBeLessThan(assignedAt.get(t.id)!);
    expect(new Set(events.filter((e) => e.type === 'worker.joined').map((e) => e.workerId)).size).toBe(4);
    const notes = await readFile(join(repoRoot, '.coordinate/runs/dag20/scratchpad/t4-0/notes.md'), 'utf8');
    expect(notes).toBe('notes of t4-0');
  });

  it('journals the listen URL first and never writes the token to the journal or the logs', async () => {
    const repoRoot = await tempDir();
    await runPlan({ repoRoot, runId: 'secret', goal: 'g', tasks: [task('a')], workers: 1, executor: 'deterministic', token: TOKEN });
    const journal = await readFile(journalPath(repoRoot, 'secret'), 'utf8');
    const first = JSON.parse(journal.split('\n')[0]!);
    expect(first).toMatchObject({ type: 'run.started', runId: 'secret' });
    expect(first.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(journal).not.toContain(TOKEN);
    const logs = join(repoRoot, '.coordinate/runs/secret/logs');
    const files = await readdir(logs);
    expect(files).toEqual(expect.arrayContaining(['coordinator.log', 'w1.log']));
    for (const file of files) expect(await readFile(join(logs, file), 'utf8')).not.toContain(TOKEN);
  });

  it('hands each task the summaries and notes of the tasks it depends on', async () => {
    const repoRoot = await tempDir();
    const outcome = await runPlan({
      repoRoot,
      runId: 'deps',
      goal: 'g',
      tasks: [task('a'), task('b', ['a'])],
      workers: 1,
      executor: 'deterministic',
      prepare: (t) => deterministic(t.id === 'a' ? { write: { name: 'found.md', content: 'x' } } : { echoDependencies: true }),
    });
    expect(outcome.outcome).toBe('succeeded');
    const events = await readJournalFile(journalPath(repoRoot, 'deps'));
    const b = events.find((e) => e.type === 'task.finished' && e.taskId === 'b');
    expect(b?.type === 'task.finished' && b.result.output).toEqual([
      { id: 'a', title: 'Task a', role: 'research', outcome: 'succeeded', summary: 'a done on attempt 1', notes: ['a/found.md'] },
    ]);
  });

  it('retries a failing task up to the limit, then skips its dependents with the reason', async () => {
    const repoRoot = await tempDir();
    const outcome = await runPlan({
      repoRoot,
      runId: 'retry',
      goal: 'g',
      tasks: [task('flaky'), task('broken'), task('after-flaky', ['flaky']), task('after-broken', ['broken']), task('last', ['after-broken'])],
      workers: 2,
      executor: 'deterministic',
      maxAttempts: 2,
      prepare: (t) => deterministic(t.id === 'flaky' ? { failAttempts: 1 } : t.id === 'broken' ? { fail: true } : {}),
    });
    expect(outcome.outcome).toBe('failed');
    const events = await readJournalFile(journalPath(repoRoot, 'retry'));
    const failed = events.filter((e) => e.type === 'task.failed');
    expect(failed.map((e) => [e.taskId, e.attempt, e.willRetry])).toEqual(
      expect.arrayContaining([
        ['flaky', 1, true],
        ['broken', 1, true],
        ['broken', 2, false],
      ]),
    );
    expect(failed).toHaveLength(3);
    const skipped = events.filter((e) => e.type === 'task.skipped');
    expect(skipped.map((e) => e.taskId).sort()).toEqual(['after-broken', 'last']);
    expect(skipped.find((e) => e.taskId === 'after-broken')!.reason).toContain('"broken", which failed: failed on purpose');
    expect(events.some((e) => e.type === 'task.finished' && e.taskId === 'after-flaky' && e.result.outcome === 'succeeded')).toBe(true);
  });

  it('refuses a plan with a cycle, a duplicate id or an unknown dependency, naming them', async () => {
    const repoRoot = await tempDir();
    const base = { repoRoot, runId: 'bad', goal: 'g', workers: 1, executor: 'deterministic' };
    await expect(runPlan({ ...base, tasks: [task('a', ['b']), task('b', ['a'])] })).rejects.toThrow(/cycle: (a → b → a|b → a → b)/);
    await expect(runPlan({ ...base, tasks: [task('a'), task('a')] })).rejects.toThrow(/"a" is used more than once/);
    await expect(runPlan({ ...base, tasks: [task('a', ['ghost'])] })).rejects.toThrow(/depends on "ghost", which is not a task/);
    await expect(runPlan({ ...base, workers: -1, tasks: [task('a')] })).rejects.toThrow('runPlan options: `workers`: must be at least 0; got -1');
  });

  it('resumes a run from its journal, torn last line and all, without running finished tasks again', async () => {
    const repoRoot = await tempDir();
    const tasks = [task('first'), task('second', ['first'])];
    const controller = new AbortController();
    const interrupted = await runPlan({
      repoRoot,
      runId: 'resume',
      goal: 'g',
      tasks,
      workers: 1,
      executor: 'deterministic',
      signal: controller.signal,
      prepare: (t) => deterministic(t.id === 'second' ? { hang: true } : {}),
      onEvent: (event) => {
        if (event.type === 'task.started' && event.taskId === 'second') controller.abort();
      },
    });
    expect(interrupted.outcome).toBe('interrupted');
    // A crash in the middle of an append leaves half a line behind.
    await appendFile(journalPath(repoRoot, 'resume'), '{"type":"task.finished","ts":1,"taskId":"sec');
    const resumed = await runPlan({ repoRoot, runId: 'resume', goal: 'g', tasks, workers: 1, executor: 'deterministic', resume: true });
    expect(resumed.outcome).toBe('succeeded');
    const events = await readJournalFile(journalPath(repoRoot, 'resume'));
    const resumedAt = events.findIndex((e) => e.type === 'run.resumed');
    expect(resumedAt).toBeGreaterThan(0);
    const after = events.slice(resumedAt);
    expect(after.some((e) => e.type === 'task.assigned' && e.taskId === 'first')).toBe(false);
    expect(after.find((e) => e.type === 'task.assigned' && e.taskId === 'second')).toMatchObject({ attempt: 2 });
  });
});
