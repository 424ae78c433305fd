import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, toolUse, turn, type Turn } from '@coordinate/testkit';
import { addPackageScript, cleanup, cliEnv, coordinate, SLOW_RUN, readJson, runDir, runIds, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';

afterEach(cleanup);

interface PlannedTask {
  id: string;
  dependsOn?: string[];
}

/** Runs a plan of implementation tasks (each scripted by `scripts[id]`, resolution tasks included) with three workers. */
async function runPlan(repo: string, tasks: PlannedTask[], scripts: Record<string, Turn[]>) {
  const server = await scriptedServer({ tasks: scripts });
  const plan = await writePlanFile(repo, {
    goal: 'Changes that meet at merge',
    summary: 'Implementation tasks whose write sets were not declared.',
    tasks: tasks.map((task) => ({ id: task.id, title: `Change for ${task.id}`, role: 'implement' as const, instructions: `Make the ${task.id} change.`, dependsOn: task.dependsOn ?? [] })),
  });
  const env = cliEnv(server);
  const result = await coordinate(['run', plan, '--workers', '3'], { cwd: repo, env, timeoutMs: 300_000 });
  const [runId] = await runIds(repo, env);
  const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
  const show = (file: string) => isolatedGit(repo, ['show', `coordinate/${runId}:${file}`]);
  const bodies = (taskId: string) => server.requests.filter((request) => request.taskId === taskId).map((request) => JSON.stringify(request.body));
  return { result, runId: runId!, report, show, bodies };
}

/** Reads `path`, then replaces `from` by `to` in it and completes; `delayMs` holds the first answer. */
const editScript = (path: string, from: string, to: string, delayMs = 0): Turn[] => [
  { ...turn(toolUse('read_file', { path })), delayMs },
  turn(toolUse('edit_file', { path, old_string: from, new_string: to })),
  turn(completeTask({ status: 'succeeded', summary: `Changed ${path}.` })),
];

describe('resolution tasks for conflicts at merge', () => {
  it('three tasks on adjacent lines of one file: each later one is resolved on the run-branch head, and a dependent waits for the resolution', async () => {
    const repo = await sampleRepo();
    const line1 = ['export function add(a, b) {', 'export function add(a, b) { // a'] as const;
    const line2 = ['return a - b;', 'return a + b; // b'] as const;
    const line3 = ['}\n\nexport function multiply', '} // c\n\nexport function multiply'] as const;
    const { result, report, show, bodies } = await runPlan(
      repo,
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd', dependsOn: ['c'] }],
      {
        a: editScript('src/math.js', ...line1),
        // Held so that each writes from its old base once the one before has merged.
        b: editScript('src/math.js', ...line2, 30_000),
        c: editScript('src/math.js', ...line3, 60_000),
        'b-resolve1': editScript('src/math.js', ...line2),
        'c-resolve1': editScript('src/math.js', ...line3),
        d: [turn(toolUse('read_file', { path: 'src/math.js' })), turn(completeTask({ status: 'succeeded', summary: 'Read the merged file.' }))],
      },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const math = await show('src/math.js');
    for (const change of [line1[1], line2[1], line3[1]]) expect(math).toContain(change);

    expect(report.mergeConflicts.map((conflict) => [conflict.taskId, conflict.outcome, conflict.resolvedBy])).toEqual([
      ['b', 'resolved', 'b-resolve1'],
      ['c', 'resolved', 'c-resolve1'],
    ]);
    expect(report.mergeConflicts.every((conflict) => conflict.conflicts.some((file) => file.path === 'src/math.js'))).toBe(true);
    // The dependent of the conflicting task was not skipped: it ran once the resolution had merged, and saw its work.
    expect(report.tasks.find((task) => task.id === 'd')!.outcome).toBe('succeeded');
    expect(bodies('d').at(-1)).toContain('} // c');
  }, SLOW_RUN + 180_000);

  it('rename/edit: a task that renamed a file meets one that edited the old path, and the resolution keeps both', async () => {
    const repo = await sampleRepo();
    await addPackageScript(repo, 'move-math', `node -e "require('node:fs').renameSync('src/math.js', 'src/arith.js')"`);

    const { result, runId, report, show } = await runPlan(repo, [{ id: 'move' }, { id: 'fix' }], {
      move: [
        turn(toolUse('run_command', { command: 'npm run move-math' })),
        turn(toolUse('read_file', { path: 'src/arith.js' })),
        turn(toolUse('edit_file', { path: 'src/arith.js', old_string: 'return a - b;', new_string: 'return a - b; // arith' })),
        turn(completeTask({ status: 'succeeded', summary: 'Moved src/math.js to src/arith.js.' })),
      ],
      fix: editScript('src/math.js', 'return a - b;', 'return a + b;', 30_000),
      'fix-resolve1': editScript('src/arith.js', 'return a - b; // arith', 'return a + b; // arith'),
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await show('src/arith.js')).toContain('return a + b; // arith');
    await expect(show('src/math.js')).rejects.toThrow();
    expect(report.mergeConflicts).toMatchObject([{ taskId: 'fix', metTasks: ['move'], outcome: 'resolved', resolvedBy: 'fix-resolve1' }]);

    // The conflicting task is shown as taken over by its resolution, not as failed, and the run succeeded.
    expect(report.outcome).toBe('succeeded');
    expect(report.tasks.find((task) => task.id === 'fix')).toMatchObject({ outcome: 'taken_over', takenOverBy: 'fix-resolve1', conflictOutcome: 'resolved' });
    expect(report.synthesis).toContain('1 was taken over by a resolution task');
    const dir = runDir(repo, runId);
    const shown = { terminal: result.stdout, markdown: await readFile(join(dir, 'report.md'), 'utf8'), html: await readFile(join(dir, 'report.html'), 'utf8') };
    for (const text of Object.values(shown)) expect(text).toContain('taken over, resolved by fix-resolve1');
    expect(shown.terminal).toContain('↻ fix');
    expect(shown.terminal).not.toContain('✗ fix');
    expect(shown.markdown).toContain('| 🔀 taken over, resolved by fix-resolve1 |');
  }, SLOW_RUN + 120_000);
});
