import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, toolUse, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, SLOW_RUN, writePlanFile } from '../cli/helpers.js';

afterEach(cleanup);

describe('two parallel implementation tasks with undeclared write sets', () => {
  it('keep one writer per file: the second write is refused naming the holder, and after the merge both intents are on the run branch', async () => {
    const repo = await sampleRepo();
    const edit = (old_string: string, new_string: string) => toolUse('edit_file', { path: 'src/math.js', old_string, new_string });
    const server = await scriptedServer({
      tasks: {
        // writes first and holds the file while it finishes
        add: [turn(edit('return a - b;', 'return a + b;')), { ...turn(completeTask({ status: 'succeeded', summary: 'add sums.' })), delayMs: 3_000 }],
        // writes while `add` holds the file, then again once add's work is merged
        order: [
          { ...turn(edit('return a * b;', 'return b * a;')), delayMs: 1_000 },
          { ...turn(edit('return a * b;', 'return b * a;')), delayMs: 6_000 },
          turn(completeTask({ status: 'succeeded', summary: 'multiply takes b first.' })),
        ],
      },
    });
    const plan = await writePlanFile(repo, {
      goal: 'Two changes to one file',
      summary: 'Neither task declares its files.',
      tasks: [
        { id: 'add', title: 'Fix add', role: 'implement', instructions: 'Make add sum.', dependsOn: [] },
        { id: 'order', title: 'Swap multiply', role: 'implement', instructions: 'Multiply b by a.', dependsOn: [] },
      ],
    });
    const env = cliEnv(server);
    const result = await coordinate(['run', plan, '--workers', '2'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const [runId] = await runIds(repo, env);
    const dir = runDir(repo, runId!);

    const report = RunReport.parse(await readJson(join(dir, 'report.json')));
    expect(report.leases?.denials).toEqual([{ taskId: 'order', attempt: 1, path: 'src/math.js', holder: 'add' }]);
    const told = server.requests.filter((r) => r.taskId === 'order').map((r) => JSON.stringify(r.body));
    expect(told.some((body) => body.includes('src/math.js is leased by task add (\\"Fix add\\"), which is running') && body.includes('scratchpad'))).toBe(true);

    const journal = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"lease.taken","ts":\d+,"taskId":"add","attempt":1,"path":"src\/math.js"/);
    expect(journal).toMatch(/"type":"lease.released","ts":\d+,"taskId":"add","paths":\["src\/math.js"\],"reason":"merged"/);
    expect(result.stdout).toContain('! order: write to src/math.js denied: leased by add [implement] Fix add');
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('order (attempt 1) was refused src/math.js: held by add');

    const merged = await isolatedGit(repo, ['show', `coordinate/${runId}:src/math.js`]);
    expect(merged).toContain('return a + b;');
    expect(merged).toContain('return b * a;');
    expect(report.mergeConflicts).toEqual([]);
  }, SLOW_RUN);
});
