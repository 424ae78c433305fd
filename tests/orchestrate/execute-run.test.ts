import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { executeRun, readJournal } from 'coordinate';
import { checkoutSnapshot, cleanUp, fixtureRepo, git, task, tempDir } from './helpers.js';

afterEach(cleanUp);

const missing = (path: string) =>
  access(path).then(
    () => false,
    () => true,
  );

/** Settings for the deterministic executor, per task id. */
const deterministic = (byTask: Record<string, Record<string, unknown>>) => (spec: { id: string }) => ({ deterministic: byTask[spec.id] ?? {} });

describe('executeRun with the deterministic executor', () => {
  it('refuses an implementation plan outside git with not_a_git_repo before any worker starts', async () => {
    const dir = await tempDir();
    const run = executeRun({ repoRoot: dir, runId: 'nogit', goal: 'g', tasks: [task({ id: 'edit', role: 'implement' })], workers: 1, executor: 'deterministic' });
    await expect(run).rejects.toMatchObject({ code: 'not_a_git_repo', message: expect.stringContaining('git init') });
    expect(await missing(join(dir, '.coordinate'))).toBe(true);
  });

  it('runs a research-only plan outside git and reports no branch', async () => {
    const dir = await tempDir();
    const result = await executeRun({ repoRoot: dir, runId: 'notes', goal: 'read', tasks: [task({ id: 'look', role: 'research' })], workers: 1, executor: 'deterministic' });
    expect(result.outcome).toBe('succeeded');
    expect(result.report.branch).toBeUndefined();
    expect(result.report.tasks).toEqual([expect.objectContaining({ id: 'look', outcome: 'succeeded', attempts: 1 })]);
    expect(JSON.parse(await readFile(join(dir, '.coordinate/runs/notes/report.json'), 'utf8')).outcome).toBe('succeeded');
  });

  it('stops a run that passes its time budget as budget_exhausted, naming timeoutMs', async () => {
    const dir = await tempDir();
    const result = await executeRun({
      repoRoot: dir,
      runId: 'slow',
      goal: 'g',
      tasks: [task({ id: 'forever', role: 'research' })],
      workers: 1,
      executor: 'deterministic',
      budgets: { timeoutMs: 300 },
      executorSettings: deterministic({ forever: { hang: true } }),
    });
    expect(result.outcome).toBe('budget_exhausted');
    expect(result.report).toMatchObject({ exitCode: 4, budget: { name: 'timeoutMs', limit: 300 } });
    expect(result.report.tasks[0]!.outcome).toBe('not_run');
    // The journal, which resume and `coordinate runs` read, tells the same story as the report.
    const journal = await readJournal(join(dir, '.coordinate/runs/slow/journal.jsonl'));
    expect(journal.events.findLast((e) => e.type === 'run.finished')).toMatchObject({ outcome: 'budget_exhausted', reason: expect.stringContaining('time budget') });
  });

  it('resumes an interrupted run without redoing finished tasks, on the same run branch', async () => {
    const repo = await fixtureRepo();
    const before = await checkoutSnapshot(repo.dir);
    const tasks = [task({ id: 'prepare', role: 'implement' }), task({ id: 'after', role: 'research', dependsOn: ['prepare'] })];
    const stop = new AbortController();
    const common = { repoRoot: repo.dir, runId: 'again', goal: 'g', tasks, workers: 1, executor: 'deterministic', executorSettings: deterministic({ after: { sleepMs: 200 } }) };
    const first = await executeRun({
      ...common,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === 'task.finished' && event.taskId === 'prepare') stop.abort();
      },
    });
    expect(first.outcome).toBe('interrupted');
    expect(first.report.exitCode).toBe(130);
    expect(first.report.tasks.map((t) => t.outcome)).toEqual(['succeeded', 'not_run']);

    const second = await executeRun({ ...common, resume: true });
    expect(second.outcome).toBe('succeeded');
    expect(second.report.tasks.map((t) => [t.id, t.outcome, t.attempts])).toEqual([
      ['prepare', 'succeeded', 1],
      ['after', 'succeeded', 1],
    ]);
    expect(second.report.baseCommit).toBe(before.head);
    expect((await git(repo.dir, ['rev-parse', 'coordinate/again'])).trim()).toBe(before.head);
    expect(await git(repo.dir, ['worktree', 'list', '--porcelain'])).not.toContain('.coordinate/worktrees');
    expect(await checkoutSnapshot(repo.dir)).toEqual(before);
  });

  it('on resume, keeps a task that had ended waiting for a file lease waiting for its holder, then runs it from the holder\'s merge', async () => {
    const repo = await fixtureRepo();
    const edit = (line: number, text: string) => ({ edits: [{ path: 'src/shared.txt', line, text }], sleepMs: 1_500 });
    const common = {
      repoRoot: repo.dir,
      runId: 'leased',
      goal: 'g',
      tasks: [task({ id: 'one', role: 'implement' }), task({ id: 'two', role: 'implement' })],
      workers: 2,
      executor: 'deterministic',
      // each takes the file, then works on; whichever asks second is refused it and ends to wait
      executorSettings: deterministic({ one: edit(0, 'one'), two: edit(1, 'two') }),
    };
    const stop = new AbortController();
    let waiter: string | undefined;
    let holder: string | undefined;
    const first = await executeRun({
      ...common,
      signal: stop.signal,
      onEvent: (event) => {
        if (event.type === 'lease.denied') [waiter, holder] = [event.taskId, event.holder];
        // interrupted while it waits and the holder still works
        if (event.type === 'task.retried' && event.taskId === waiter) stop.abort();
      },
    });
    expect(first.outcome).toBe('interrupted');
    expect(first.report.tasks.map((t) => t.outcome)).toEqual(['not_run', 'not_run']);

    const second = await executeRun({ ...common, resume: true });
    expect(second.outcome).toBe('succeeded');
    const { events } = await readJournal(join(repo.dir, '.coordinate/runs/leased/journal.jsonl'));
    const resumed = events.slice(events.findIndex((event) => event.type === 'run.resumed'));
    const at = (type: string, taskId: string | undefined) => resumed.findIndex((event) => event.type === type && 'taskId' in event && event.taskId === taskId);
    // It went again only once the holder's work was merged, so it was refused nothing this time.
    expect(at('task.started', waiter)).toBeGreaterThan(at('task.merged', holder));
    expect(resumed.filter((event) => event.type === 'lease.denied')).toEqual([]);
    expect(await git(repo.dir, ['show', 'coordinate/leased:src/shared.txt'])).toBe('one\ntwo');
  }, 60_000);
});
