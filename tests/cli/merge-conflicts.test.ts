import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, toolUse, turn, type Scenario, type Turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, SLOW_RUN, readJson, runDir, runIds, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';

afterEach(cleanup);

/** The heading a retry's prompt carries after a merge conflict. */
const CONFLICT_HEADING = 'Merge conflict of your earlier attempt';

/** Runs two parallel implementation tasks, each scripted by `first` and, once told of a conflict, by `retry`. */
async function runPair(repo: string, tasks: Record<string, { first: Turn[]; retry: Turn[] }>) {
  const scenario: Scenario = {
    tasks: Object.fromEntries(Object.entries(tasks).map(([id, script]) => [id, script.first])),
    variants: Object.entries(tasks).map(([taskId, script]) => ({ taskId, whenPromptIncludes: CONFLICT_HEADING, turns: script.retry })),
  };
  const server = await scriptedServer(scenario);
  const plan = await writePlanFile(repo, {
    goal: 'Two changes at once',
    summary: 'Two implementation tasks in parallel.',
    tasks: Object.keys(tasks).map((id) => ({ id, title: `Change for ${id}`, role: 'implement' as const, instructions: `Make the ${id} change.`, dependsOn: [] })),
  });
  const env = cliEnv(server);
  const result = await coordinate(['run', plan, '--workers', '2'], { cwd: repo, env });
  const [runId] = await runIds(repo, env);
  const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
  const markdown = await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8');
  const show = (ref: string, file: string) => isolatedGit(repo, ['show', `${ref}:${file}`]);
  /** The text of every request a task's retry sent after the conflict. */
  const retryRequests = (taskId: string) =>
    server.requests.filter((request) => request.taskId === taskId && JSON.stringify(request.body).includes(CONFLICT_HEADING)).map((request) => JSON.stringify(request.body));
  return { result, runId: runId!, report, markdown, show, retryRequests };
}

describe('a change that conflicts with merged work', () => {
  it('is re-run told of the conflict (add/add and content), cannot overwrite what it has not read, and lands both changes', async () => {
    const repo = await sampleRepo();
    const script = (name: string) => {
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
    // File leases keep two running tasks off one file, so the second writes only once the first is
    // merged: from its older base, which is what still conflicts at merge.
    const date = script('formatDate');
    date.first[0] = { ...date.first[0]!, delayMs: 10_000 };
    const { result, runId, report, markdown, show, retryRequests } = await runPair(repo, { money: script('formatMoney'), date });
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
      keptAt: `coordinate/${runId}-${loser}-conflict1`,
    });
    // The set-aside attempt is still there, whole.
    expect(await show(conflict!.keptAt!, 'src/format.js')).toContain(`export function ${loserFn}`);

    const told = retryRequests(loser);
    expect(told.length).toBeGreaterThan(0);
    expect(told[0]).toContain('src/format.js (add/add)');
    expect(told[0]).toContain('src/math.js (content)');
    expect(told[0]).toContain(`the work of ${winner} (Change for ${winner})`);
    expect(told[0]).toContain(`+export function ${loserFn}(value) {`);
    expect(told.some((body) => body.includes('already exists and this task has not read it'))).toBe(true);

    for (const text of [result.stdout, markdown]) {
      expect(text).toContain(`${loser} (attempt 1) met the work of ${winner} in src/format.js (add/add), src/math.js (content): resolved by a later attempt`);
      expect(text).toContain(`coordinate/${runId}-${loser}-conflict1`);
    }
  }, SLOW_RUN);

  it('names a modify/delete conflict whose retry changes nothing as "resolved with no change", with its reason, and keeps the work', async () => {
    const repo = await sampleRepo();
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts['remove-math'] = `node -e "require('node:fs').rmSync('src/math.js')"`;
    await writeFile(join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    await isolatedGit(repo, ['commit', '-q', '-am', 'Add a script that removes src/math.js']);

    const { result, runId, report, markdown, show } = await runPair(repo, {
      drop: {
        first: [turn(toolUse('run_command', { command: 'npm run remove-math' })), turn(completeTask({ status: 'succeeded', summary: 'Removed src/math.js.' }))],
        retry: [turn(toolUse('run_command', { command: 'npm run remove-math' })), turn(completeTask({ status: 'succeeded', summary: 'Removed src/math.js again.' }))],
      },
      fix: {
        first: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          turn(completeTask({ status: 'succeeded', summary: 'Fixed add.' })),
        ],
        retry: [turn(toolUse('read_file', { path: 'src/math.js' })), turn(completeTask({ status: 'succeeded', summary: 'src/math.js is gone on the run branch: nothing left to fix.' }))],
      },
    });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(report.mergeConflicts).toHaveLength(1);
    const [conflict] = report.mergeConflicts;
    expect(conflict!.conflicts).toEqual([{ path: 'src/math.js', kind: 'modify/delete' }]);
    // Every intended change is on the run branch or named and kept on its branch.
    if (conflict!.taskId === 'fix') {
      expect(conflict).toMatchObject({ metTasks: ['drop'], outcome: 'resolved_no_change', reason: 'src/math.js is gone on the run branch: nothing left to fix.' });
      expect(await show(conflict!.keptAt!, 'src/math.js')).toContain('return a + b;');
      expect(report.tasks.find((task) => task.id === 'fix')!.conflictOutcome).toBe('resolved_no_change');
      for (const text of [result.stdout, markdown]) {
        expect(text).toContain('resolved with no change: src/math.js is gone on the run branch: nothing left to fix.');
        expect(text).toContain(`its work is kept on coordinate/${runId}-fix-conflict1`);
      }
    } else {
      expect(conflict).toMatchObject({ taskId: 'drop', metTasks: ['fix'], outcome: 'resolved' });
      await expect(show(`coordinate/${runId}`, 'src/math.js')).rejects.toThrow();
    }
  }, SLOW_RUN);
});
