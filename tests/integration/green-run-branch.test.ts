import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, toolUse, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, SLOW_RUN, writePlanFile } from '../cli/helpers.js';

afterEach(cleanup);

const REOPENED = "The run branch's check failed after your earlier attempt";

describe('a merge that breaks commands.check', () => {
  it('is taken back, and the task is reopened with the failure output, fixes it and lands a tree that passes', async () => {
    const repo = await sampleRepo({ commands: { check: 'node --check src/math.js' } });
    const server = await scriptedServer({
      tasks: {
        fix: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;;)' })),
          turn(completeTask({ status: 'succeeded', summary: 'add sums.' })),
        ],
      },
      variants: [
        {
          taskId: 'fix',
          whenPromptIncludes: REOPENED,
          turns: [
            turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a + b;;)', new_string: 'return a + b;' })),
            turn(completeTask({ status: 'succeeded', summary: 'Removed the stray parenthesis.' })),
          ],
        },
      ],
    });
    const plan = await writePlanFile(repo, {
      goal: 'Fix add',
      summary: 'One change.',
      tasks: [{ id: 'fix', title: 'Fix add', role: 'implement', instructions: 'Make add sum.', dependsOn: [] }],
    });
    const env = cliEnv(server);
    const result = await coordinate(['run', plan], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const [runId] = await runIds(repo, env);
    const dir = runDir(repo, runId!);

    const reopened = server.requests.filter((r) => r.taskId === 'fix').map((r) => JSON.stringify(r.body)).find((body) => body.includes(REOPENED));
    expect(reopened).toBeDefined();
    expect(reopened).toContain('node --check src/math.js');
    expect(reopened).toContain('SyntaxError');

    const journal = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; result?: { error?: { code: string } } });
    expect(journal.filter((e) => e.type === 'task.finished').map((e) => e.result?.error?.code ?? 'ok')).toEqual(['merge_check_failed', 'ok']);

    // the broken merge is not on the run branch: its only task merge is the fixed one
    const branch = `coordinate/${runId}`;
    expect(await isolatedGit(repo, ['show', `${branch}:src/math.js`])).toContain('return a + b;\n');
    expect((await isolatedGit(repo, ['log', '--first-parent', '--format=%s', branch])).trim().split('\n')).toHaveLength(2);
    const report = RunReport.parse(await readJson(join(dir, 'report.json')));
    expect(report.tasks[0]).toMatchObject({ id: 'fix', outcome: 'succeeded', attempts: 2 });
    expect(report.checkFailures).toEqual([{ taskId: 'fix', attempt: 1, command: 'node --check src/math.js', exitCode: 1 }]);
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain("fix (attempt 1) broke the run branch's check: `node --check src/math.js` exited with 1; the merge was taken back and the task reopened");
  }, SLOW_RUN);
});
