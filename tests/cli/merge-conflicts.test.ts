import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, toolUse, turn, type Scenario, type ScriptedServer, type Turn } from '@coordinate/testkit';
import { addPackageScript, cleanup, cliEnv, coordinate, SLOW_RUN, readJson, runDir, runIds, sampleRepo, scriptedServer, startCoordinate, trackPids, waitFor, workerPids, writePlanFile } from './helpers.js';

afterEach(cleanup);

/** The run's journal events, in order. */
const journalEvents = async (repo: string, runId: string) =>
  (await readFile(join(runDir(repo, runId), 'journal.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; taskId?: string; reason?: unknown });

/** The heading a resolution task's prompt carries. */
const CONFLICT_HEADING = 'Merge conflict to resolve';

type PairScripts = Record<string, { first: Turn[]; retry: Turn[] }>;

/** The resolution task that takes over `taskId`'s first conflict. */
const resolutionOf = (taskId: string) => `${taskId}-resolve1`;

/** Each task answers with `first`; the resolution task of its conflict answers with `retry`. */
const pairScenario = (tasks: PairScripts): Scenario => ({
  tasks: Object.fromEntries(Object.entries(tasks).flatMap(([id, script]) => [[id, script.first], [resolutionOf(id), script.retry]])),
});

/** A plan of one parallel implementation task per id. */
const writePairPlan = (repo: string, ids: string[]) =>
  writePlanFile(repo, {
    goal: 'Two changes at once',
    summary: 'Two implementation tasks in parallel.',
    tasks: ids.map((id) => ({ id, title: `Change for ${id}`, role: 'implement' as const, instructions: `Make the ${id} change.`, dependsOn: [] })),
  });

/** The text of every request of the resolution task of `taskId`'s conflict, each checked to tell it of the conflict. */
const retryRequestsOf = (server: ScriptedServer, taskId: string) =>
  server.requests.filter((request) => request.taskId === resolutionOf(taskId)).map((request) => JSON.stringify(request.body));

/** Runs two parallel implementation tasks, each scripted by `first` and, once told of a conflict, by `retry`. */
async function runPair(repo: string, tasks: PairScripts) {
  const server = await scriptedServer(pairScenario(tasks));
  const plan = await writePairPlan(repo, Object.keys(tasks));
  const env = cliEnv(server);
  const result = await coordinate(['run', plan, '--workers', '2'], { cwd: repo, env, timeoutMs: 200_000 });
  const [runId] = await runIds(repo, env);
  const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
  const markdown = await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8');
  const show = (ref: string, file: string) => isolatedGit(repo, ['show', `${ref}:${file}`]);
  const retryRequests = (taskId: string) => retryRequestsOf(server, taskId);
  return { result, runId: runId!, report, markdown, show, retryRequests };
}

/** Both tasks add `src/format.js` (add/add) and edit `src/math.js` (content); told of the conflict, each reads and keeps the other's work. */
const formatScript = (name: string): { first: Turn[]; retry: Turn[] } => {
  const fn = `export function ${name}(value) {\n  return String(value);\n}\n`;
  return {
    first: [
      turn(toolUse('write_file', { path: 'src/format.js', content: fn }), toolUse('read_file', { path: 'src/math.js' })),
      turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: `return a + b; // ${name}` })),
      turn(completeTask({ status: 'succeeded', summary: `Added ${name}.` })),
    ],
    retry: [
      // A blind overwrite of the other task's file is refused: the retry must read it first.
      turn(toolUse('write_file', { path: 'src/format.js', content: fn })),
      turn(toolUse('read_file', { path: 'src/format.js' }), toolUse('read_file', { path: 'src/math.js' })),
      turn(
        toolUse('edit_file', { path: 'src/format.js', old_string: 'export function format', new_string: `${fn}\nexport function format` }),
        toolUse('edit_file', { path: 'src/math.js', old_string: 'export function add', new_string: `// ${name} checked add\nexport function add` }),
      ),
      turn(completeTask({ status: 'succeeded', summary: `Added ${name} beside the merged work.` })),
    ],
  };
};

describe('a change that conflicts with merged work', () => {
  it('is taken over by a resolution task told of the conflict (add/add and content), which cannot overwrite what it has not read and lands both changes', async () => {
    const repo = await sampleRepo();
    // File leases keep two running tasks off one file, so the second writes only once the first is
    // merged: from its older base, which is what still conflicts at merge.
    const date = formatScript('formatDate');
    date.first[0] = { ...date.first[0]!, delayMs: 30_000 };
    const { result, runId, report, markdown, show, retryRequests } = await runPair(repo, { money: formatScript('formatMoney'), date });
    expect(result.exitCode, result.stderr).toBe(0);

    const format = await show(`coordinate/${runId}`, 'src/format.js');
    expect(format).toContain('export function formatMoney');
    expect(format).toContain('export function formatDate');

    expect(report.mergeConflicts).toHaveLength(1);
    const [conflict] = report.mergeConflicts;
    const loser = conflict!.taskId;
    const winner = loser === 'money' ? 'date' : 'money';
    const loserFn = loser === 'money' ? 'formatMoney' : 'formatDate';
    expect(conflict).toMatchObject({
      attempt: 1,
      conflicts: [
        { path: 'src/format.js', kind: 'add/add' },
        { path: 'src/math.js', kind: 'content' },
      ],
      metTasks: [winner],
      outcome: 'resolved',
      resolvedBy: resolutionOf(loser),
      keptAt: `coordinate/${runId}-${loser}-conflict1`,
    });
    const events = await journalEvents(repo, runId);
    expect(events).toContainEqual(expect.objectContaining({ type: 'tasks.added', reason: expect.objectContaining({ kind: 'conflict', after: loser }) }));
    // Journaled before it is queued.
    const added = events.findIndex((event) => event.type === 'tasks.added');
    expect(events.findIndex((event) => event.type === 'task.queued' && event.taskId === resolutionOf(loser))).toBeGreaterThan(added);
    // The set-aside attempt is still there, whole.
    expect(await show(conflict!.keptAt!, 'src/format.js')).toContain(`export function ${loserFn}`);

    const told = retryRequests(loser);
    expect(told.length).toBeGreaterThan(0);
    expect(told[0]).toContain(CONFLICT_HEADING);
    expect(told[0]).toContain(`Make the ${loser} change.`);
    expect(told[0]).toContain('src/format.js (add/add)');
    expect(told[0]).toContain('src/math.js (content)');
    expect(told[0]).toContain(`the work of ${winner} (Change for ${winner})`);
    expect(told[0]).toContain(`+export function ${loserFn}(value) {`);
    expect(told.some((body) => body.includes('already exists and this task has not read it'))).toBe(true);

    for (const text of [result.stdout, markdown]) {
      expect(text).toContain(`${loser} (attempt 1) met the work of ${winner} in src/format.js (add/add), src/math.js (content): resolved by ${resolutionOf(loser)}`);
      expect(text).toContain(`coordinate/${runId}-${loser}-conflict1`);
    }
  }, SLOW_RUN + 120_000);

  it('names a modify/delete conflict whose resolution changes nothing as "resolved with no change", with its reason, and keeps the work', async () => {
    const repo = await sampleRepo();
    await addPackageScript(repo, 'remove-math', `node -e "require('node:fs').rmSync('src/math.js')"`);

    const { result, runId, report, markdown, show } = await runPair(repo, {
      drop: {
        first: [turn(toolUse('run_command', { command: 'npm run remove-math' })), turn(completeTask({ status: 'succeeded', summary: 'Removed src/math.js.' }))],
        retry: [turn(toolUse('run_command', { command: 'npm run remove-math' })), turn(completeTask({ status: 'succeeded', summary: 'Removed src/math.js again.' }))],
      },
      fix: {
        first: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          // Held so that the removal is merged first and this fix is the change that conflicts.
          { ...turn(completeTask({ status: 'succeeded', summary: 'Fixed add.' })), delayMs: 30_000 },
        ],
        retry: [turn(toolUse('read_file', { path: 'src/math.js' })), turn(completeTask({ status: 'succeeded', summary: 'src/math.js is gone on the run branch: nothing left to fix.' }))],
      },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report.mergeConflicts).toHaveLength(1);
    const [conflict] = report.mergeConflicts;
    expect(conflict!.conflicts).toEqual([{ path: 'src/math.js', kind: 'modify/delete' }]);
    // Every intended change is on the run branch or named and kept on its branch.
    expect(conflict).toMatchObject({ taskId: 'fix', metTasks: ['drop'], outcome: 'resolved_no_change', resolvedBy: 'fix-resolve1', reason: 'src/math.js is gone on the run branch: nothing left to fix.' });
    expect(await show(conflict!.keptAt!, 'src/math.js')).toContain('return a + b;');
    await expect(show(`coordinate/${runId}`, 'src/math.js')).rejects.toThrow();
    expect(report.tasks.find((task) => task.id === 'fix')!.conflictOutcome).toBe('resolved_no_change');
    for (const text of [result.stdout, markdown]) {
      // The run does not claim that everything landed.
      expect(text).not.toContain('all tasks succeeded and were verified');
      expect(text).toContain('the conflicting work of fix did not land (resolved with no change)');
      expect(text).toContain('resolved with no change by fix-resolve1: src/math.js is gone on the run branch: nothing left to fix.');
      expect(text).toContain(`its work is kept on coordinate/${runId}-fix-conflict1`);
    }
  }, SLOW_RUN + 150_000);

  it('tells a resolution task of its conflict after `coordinate resume` as it would have been told in the interrupted run', async () => {
    const repo = await sampleRepo();
    const date = formatScript('formatDate');
    // Held so that money merges first and date's change is the one that conflicts (file leases keep them apart while both run).
    date.first[0] = { ...date.first[0]!, delayMs: 30_000 };
    const scripts = { money: formatScript('formatMoney'), date };
    // The retry's first answer is held, so the run can be stopped while the retry is in flight.
    const held = Object.fromEntries(Object.entries(scripts).map(([id, script]) => [id, { ...script, retry: [{ ...script.retry[0]!, delayMs: 120_000 }, ...script.retry.slice(1)] }]));
    const first = await scriptedServer(pairScenario(held));
    const plan = await writePairPlan(repo, Object.keys(scripts));
    const child = startCoordinate(['run', plan, '--workers', '2'], { cwd: repo, env: cliEnv(first), timeoutMs: 180_000 });
    await waitFor(() => ['money', 'date'].some((id) => retryRequestsOf(first, id).length > 0), 'a retry told of its conflict to ask the model', 120_000);
    const loser = ['money', 'date'].find((id) => retryRequestsOf(first, id).length > 0)!;
    const [runId] = await runIds(repo, cliEnv(first));
    trackPids(await workerPids(join(runDir(repo, runId!), 'journal.jsonl')));
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);

    const second = await scriptedServer(pairScenario(scripts));
    const env = cliEnv(second);
    const resumed = await coordinate(['resume', runId!], { cwd: repo, env, timeoutMs: 200_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const told = retryRequestsOf(second, loser);
    expect(told.length).toBeGreaterThan(0);
    // The conflicting task does not run again: its resolution, rebuilt from the journal, does.
    expect(second.requests.filter((request) => request.taskId === loser)).toHaveLength(0);
    expect(told[0]).toContain(CONFLICT_HEADING);
    const loserFn = loser === 'money' ? 'formatMoney' : 'formatDate';
    expect(told[0]).toContain('src/format.js (add/add)');
    expect(told[0]).toContain(`+export function ${loserFn}(value) {`);
    expect(told[0]).toContain(`coordinate/${runId}-${loser}-conflict1`);

    const format = await isolatedGit(repo, ['show', `coordinate/${runId}:src/format.js`]);
    expect(format).toContain('export function formatMoney');
    expect(format).toContain('export function formatDate');
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.mergeConflicts).toMatchObject([{ taskId: loser, attempt: 1, outcome: 'resolved', resolvedBy: resolutionOf(loser) }]);
  }, 300_000);
});
