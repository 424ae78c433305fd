import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Plan } from '@coordinate/plan';
import { completeTask, demoScenario, DEMO_TASK_IDS, fixRoundScenario, toolUse, turn, type Scenario } from '@coordinate/testkit';
import { executeRun, type ExecuteRunOptions, type JournalEvent } from 'coordinate';
import { checkoutSnapshot, cleanUp, fixtureRepo, git, modelEnv, quickModel, scriptedModel, task } from './helpers.js';

afterEach(cleanUp);

/** The plan the demo's scripted planner submits. */
function demoPlan(): Plan {
  const block = demoScenario().planner![0]!.content[0]!;
  if (block.type !== 'tool_use') throw new Error('the demo planner turn is not a tool call');
  return Plan.parse(block.input);
}

async function runWithModel(scenario: Scenario, options: Partial<ExecuteRunOptions> & Pick<ExecuteRunOptions, 'tasks'>) {
  const repo = await fixtureRepo();
  const server = await scriptedModel(scenario);
  const before = await checkoutSnapshot(repo.dir);
  const result = await executeRun({
    repoRoot: repo.dir,
    runId: 'r1',
    goal: 'Make the failing test pass',
    workers: 2,
    executor: 'model',
    workerEnv: modelEnv(server),
    modelSettings: quickModel,
    maxAttempts: 1,
    ...options,
  });
  return { repo, server, before, result };
}

const fileOnBranch = (dir: string, branch: string, file: string) => git(dir, ['show', `${branch}:${file}`]);

describe('a run through the model executor', () => {
  it('lands the fix on coordinate/<runId>, proves it with a real npm test, and leaves the person’s checkout alone', async () => {
    const plan = demoPlan();
    const { repo, before, result } = await runWithModel(demoScenario(), { tasks: plan.tasks, goal: plan.goal });
    expect(result.outcome).toBe('succeeded');
    expect(await fileOnBranch(repo.dir, 'coordinate/r1', 'src/math.js')).toContain('return a + b;');
    expect(await readFile(join(repo.dir, 'src/math.js'), 'utf8')).toContain('return a - b;');
    expect(await checkoutSnapshot(repo.dir)).toEqual(before);

    const verify = result.report.tasks.find((t) => t.id === DEMO_TASK_IDS.verify)!;
    expect(verify.outcome).toBe('succeeded');
    expect(verify.evidence).toEqual([expect.objectContaining({ command: 'npm test', exitCode: 0, verified: true })]);
    const implement = result.report.tasks.find((t) => t.id === DEMO_TASK_IDS.implement)!;
    expect(implement.changedFiles).toEqual(['src/math.js']);
    expect(result.report).toMatchObject({ outcome: 'succeeded', exitCode: 0, branch: 'coordinate/r1', baseCommit: before.head });
    expect(result.report.diffstat.files).toEqual([{ path: 'src/math.js', insertions: 1, deletions: 1 }]);
    expect(result.report.usage.requests).toBeGreaterThan(0);

    const written = JSON.parse(await readFile(join(repo.dir, '.coordinate/runs/r1/report.json'), 'utf8'));
    expect(written.outcome).toBe('succeeded');
    expect(await readFile(join(repo.dir, '.coordinate/runs/r1/report.md'), 'utf8')).toContain('git merge coordinate/r1');
    // Merged worktrees and task branches are gone; the transcript of each task is kept.
    expect(await git(repo.dir, ['worktree', 'list', '--porcelain'])).not.toContain('.coordinate/worktrees');
    expect(await git(repo.dir, ['branch', '--list', 'coordinate/*'])).toBe('  coordinate/r1\n');
    expect(await readFile(join(repo.dir, `.coordinate/runs/r1/transcripts/${DEMO_TASK_IDS.implement}.jsonl`), 'utf8')).not.toContain('sk-test');
  });

  it('reports two implementations that edit the same line as a merge conflict, hands it to a resolution task and keeps both edits', async () => {
    // File leases keep two running tasks off one file: sum edits only once plus has merged, from its older base.
    const edit = (to: string) => [
      { ...turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: to })), delayMs: to === 'return b + a;' ? 8000 : 0 },
      turn(completeTask({ status: 'succeeded', summary: `changed add to ${to}` })),
    ];
    const tasks = [task({ id: 'plus', role: 'implement', files: ['src/math.js'] }), task({ id: 'sum', role: 'implement', dependsOn: [], files: ['src/math.js'] })];
    const { repo, before, result } = await runWithModel({ tasks: { plus: edit('return a + b;'), sum: edit('return b + a;') } }, { tasks, workers: 2 });
    // The resolution task that takes the conflict over has no script here, so it fails and the run with it.
    expect(result.outcome).toBe('failed');
    expect(result.report.mergeConflicts).toEqual([expect.objectContaining({ files: ['src/math.js'] })]);
    const [conflict] = result.report.mergeConflicts;
    const loser = conflict!.taskId;
    expect(conflict).toMatchObject({ resolvedBy: `${loser}-resolve1`, outcome: 'unresolved' });
    const winner = loser === 'plus' ? 'sum' : 'plus';
    const winning = winner === 'plus' ? 'return a + b;' : 'return b + a;';
    const losing = winner === 'plus' ? 'return b + a;' : 'return a + b;';
    expect(await fileOnBranch(repo.dir, 'coordinate/r1', 'src/math.js')).toContain(winning);
    // The losing edit is not lost: it is on its own ref, and its worktree is kept for inspection.
    expect(await fileOnBranch(repo.dir, `coordinate/r1-${loser}-conflict1`, 'src/math.js')).toContain(losing);
    const failed = result.report.tasks.find((t) => t.id === loser)!;
    expect(failed.failureReason).toContain(join('.coordinate', 'worktrees', 'r1', loser));
    expect(await readFile(join(repo.dir, '.coordinate/worktrees/r1', loser, 'src/math.js'), 'utf8')).toContain(losing);
    expect(await checkoutSnapshot(repo.dir)).toEqual(before);
  });

  it('adds a resolution task on top of the merged work, keeping the conflicting attempt on its own ref', async () => {
    // File leases keep two running tasks off one file: sum edits only once plus has merged, from its older base.
    const edit = (to: string) => [
      { ...turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: to })), delayMs: to === 'return b + a;' ? 8000 : 0 },
      turn(completeTask({ status: 'succeeded', summary: `changed add to ${to}` })),
    ];
    const nothingLeft = [turn(completeTask({ status: 'succeeded', summary: 'the run branch already adds: nothing left to change' }))];
    const tasks = [task({ id: 'plus', role: 'implement' }), task({ id: 'sum', role: 'implement' })];
    const scripts = { plus: edit('return a + b;'), sum: edit('return b + a;'), 'plus-resolve1': nothingLeft, 'sum-resolve1': nothingLeft };
    const { repo, result } = await runWithModel({ tasks: scripts }, { tasks, workers: 2, maxAttempts: 2 });
    // The resolution starts from the run branch, which already holds the other edit, so it has nothing left to change:
    // the conflict is still reported, as resolved with no change, naming where the conflicting attempt is kept.
    expect(result.outcome).toBe('succeeded');
    const [conflict] = result.report.mergeConflicts;
    expect(result.report.mergeConflicts).toEqual([
      expect.objectContaining({
        conflicts: [{ path: 'src/math.js', kind: 'content' }],
        outcome: 'resolved_no_change',
        resolvedBy: `${conflict!.taskId}-resolve1`,
        reason: 'the run branch already adds: nothing left to change',
        keptAt: `coordinate/r1-${conflict!.taskId}-conflict1`,
      }),
    ]);
    // The conflicting task is not retried: it ran once.
    expect(result.report.tasks.find((t) => t.id === conflict!.taskId)!.attempts).toBe(1);
    expect(result.report.tasks.find((t) => t.id === conflict!.resolvedBy)!.outcome).toBe('succeeded');
    const refs = await git(repo.dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/coordinate/']);
    expect(refs.trim().split('\n')).toEqual(expect.arrayContaining(['coordinate/r1', `coordinate/r1-${conflict!.taskId}-conflict1`]));
  });

  it('fails a verification that claims a pass without having run the command through its corrections, marking its evidence unverified', async () => {
    const tasks = [task({ id: 'check', role: 'verify', commands: ['npm test'] })];
    const claim = turn(completeTask({ status: 'succeeded', summary: 'all good', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }] }));
    const scenario: Scenario = { tasks: { check: [claim, claim, claim] } };
    const { result } = await runWithModel(scenario, { tasks, fixRounds: 0 });
    expect(result.outcome).toBe('failed');
    const check = result.report.tasks[0]!;
    expect(check.outcome).toBe('failed');
    expect(check.failureReason).toContain('`npm test` was required but never ran');
    expect(check.attempts).toBe(1);
    expect(check.evidence).toEqual([expect.objectContaining({ command: 'npm test', verified: false })]);
    expect(result.report.exitCode).toBe(1);
  });

  it('runs a fix round after a failed verification and succeeds once the re-verification passes', async () => {
    const tasks = [
      task({ id: 'touch', role: 'implement', files: ['src/math.js'] }),
      task({ id: 'tests', role: 'verify', dependsOn: ['touch'], commands: ['npm test'] }),
    ];
    // The first implementation misses the bug; the fix task repairs it.
    const scenario = fixRoundScenario();
    const { repo, result } = await runWithModel(scenario, { tasks, fixRounds: 1 });
    expect(result.outcome).toBe('succeeded');
    expect(result.report.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['touch', 'succeeded'],
      ['tests', 'failed'],
      ['tests-fix1', 'succeeded'],
      ['tests-re1', 'succeeded'],
    ]);
    expect(result.report.tasks.find((t) => t.id === 'tests-re1')!.evidence).toEqual([expect.objectContaining({ verified: true, exitCode: 0 })]);
    const math = await fileOnBranch(repo.dir, 'coordinate/r1', 'src/math.js');
    expect(math).toContain('return a + b;');
    expect(math).toContain('return b * a;');
    // One session: one start, one listen address, the two workers joined once, and the fix tasks
    // joined the running graph through one journaled tasks.added naming why.
    const events = (await readFile(join(repo.dir, '.coordinate/runs/r1/journal.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEvent);
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
    expect(new Set(events.flatMap((e) => ('url' in e ? [e.url] : []))).size).toBe(1);
    expect(events.filter((e) => e.type === 'worker.joined')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'run.finished')).toHaveLength(1);
    const added = events.filter((e) => e.type === 'tasks.added');
    expect(added.map((e) => e.type === 'tasks.added' && [e.tasks.map((t) => t.id), e.reason.kind, e.reason.after, e.reason.round])).toEqual([
      [['tests-fix1', 'tests-re1'], 'fix', 'tests', 1],
    ]);
    const failedAt = events.findIndex((e) => e.type === 'task.failed' && e.taskId === 'tests');
    expect(events.findIndex((e) => e.type === 'tasks.added')).toBeGreaterThan(failedAt);
    expect(Object.keys(result.state.tasks).sort()).toEqual(['tests', 'tests-fix1', 'tests-re1', 'touch']);
    expect(result.report.synthesis).toContain('1 fix round ran after a failed verification');
  });

  it('stops as budget_exhausted, naming maxTokens, when the token budget cannot pay for a request', async () => {
    const plan = demoPlan();
    const { result, server } = await runWithModel(demoScenario(), { tasks: plan.tasks, budgets: { maxTokens: 500 } });
    expect(result.outcome).toBe('budget_exhausted');
    expect(result.report.exitCode).toBe(4);
    expect(result.report.budget).toMatchObject({ name: 'maxTokens', limit: 500 });
    expect(server.requests.filter((r) => r.path.includes('/messages'))).toHaveLength(0);
  });
});
