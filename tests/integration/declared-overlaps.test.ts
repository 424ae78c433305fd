import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Plan } from '@coordinate/plan';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, submitPlan, toolUse, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, SLOW_RUN } from '../cli/helpers.js';

afterEach(cleanup);

const implement = (id: string, instructions: string) => ({ id, title: `Change ${id}`, role: 'implement' as const, instructions, dependsOn: [], files: ['src/math.js'] });

describe('two parallel implementation tasks that both declare src/math.js', () => {
  it('are serialized at validation with the reason in plan.json, plan.md and the approval, and the second starts from the first’s merge', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer({
      planner: [
        turn(
          submitPlan({
            goal: 'Fix add and note it',
            summary: 'Two changes to src/math.js.',
            tasks: [
              implement('T1', 'Make add sum its arguments.'),
              implement('T2', 'Mark the fixed add as checked.'),
              { id: 'check', title: 'Run the tests', role: 'verify', instructions: 'Run npm test.', dependsOn: ['T1', 'T2'], commands: ['npm test'] },
            ],
          }),
        ),
      ],
      tasks: {
        T1: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          turn(completeTask({ status: 'succeeded', summary: 'add sums.' })),
        ],
        // only a tree that holds T1's merge has this line to edit
        T2: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a + b;', new_string: 'return a + b; // checked' })),
          turn(completeTask({ status: 'succeeded', summary: 'Marked add as checked.' })),
        ],
        check: [
          turn(toolUse('run_command', { command: 'npm test' })),
          turn(completeTask({ status: 'succeeded', summary: 'npm test passes.', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }] })),
        ],
      },
    });
    const env = cliEnv(server);
    const result = await coordinate(['Fix add and note it', '--yes', '--workers', '2'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const [runId] = await runIds(repo, env);
    const dir = runDir(repo, runId!);

    const plan = Plan.parse(await readJson(join(dir, 'plan.json')));
    expect(plan.serialized).toEqual([{ task: 'T2', waitsFor: 'T1', reason: 'both write src/math.js' }]);
    expect(plan.tasks.find((t) => t.id === 'T2')!.dependsOn).toEqual(['T1']);
    expect(await readFile(join(dir, 'plan.md'), 'utf8')).toContain('- Waits for:\n  - T1: both write src/math.js');
    const shown = result.stdout + result.stderr;
    expect(shown).toContain('waits  for T1: both write src/math.js');
    expect(shown).toContain('Serialized 1 overlapping write: critical path 2 → 3 tasks');

    expect(await isolatedGit(repo, ['show', `coordinate/${runId}:src/math.js`])).toContain('return a + b; // checked');
    const report = RunReport.parse(await readJson(join(dir, 'report.json')));
    expect(report.mergeConflicts).toEqual([]);
  }, SLOW_RUN);
});
