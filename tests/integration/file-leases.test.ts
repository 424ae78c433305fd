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

describe('a task refused a lease that ends to wait for it', () => {
  it('gives its worker back to other work while the holder runs, and starts again from the holder’s merge, told the file is free', async () => {
    const repo = await sampleRepo();
    const edit = (path: string, old_string: string, new_string: string) => toolUse('edit_file', { path, old_string, new_string });
    const FREE = 'The file you waited for is free';
    const server = await scriptedServer({
      tasks: {
        // takes src/math.js first and holds it while it works
        add: [turn(edit('src/math.js', 'return a - b;', 'return a + b;')), { ...turn(completeTask({ status: 'succeeded', summary: 'add sums.' })), delayMs: 8_000 }],
        // refused the file, it ends to wait rather than finish without it
        order: [
          { ...turn(edit('src/math.js', 'return a * b;', 'return b * a;')), delayMs: 1_000 },
          turn(completeTask({ status: 'failed', summary: 'src/math.js is leased by add: waiting for it.', waitsFor: 'src/math.js' })),
        ],
        readme: [turn(edit('README.md', 'one bug', 'no bug')), turn(completeTask({ status: 'succeeded', summary: 'README says no bug.' }))],
      },
      variants: [
        {
          taskId: 'order',
          whenPromptIncludes: FREE,
          turns: [turn(toolUse('read_file', { path: 'src/math.js' })), turn(edit('src/math.js', 'return a * b;', 'return b * a;')), turn(completeTask({ status: 'succeeded', summary: 'multiply takes b first.' }))],
        },
      ],
    });
    const plan = await writePlanFile(repo, {
      goal: 'Two changes to one file and one elsewhere',
      summary: 'No task declares its files.',
      tasks: [
        { id: 'add', title: 'Fix add', role: 'implement', instructions: 'Make add sum.', dependsOn: [] },
        { id: 'order', title: 'Swap multiply', role: 'implement', instructions: 'Multiply b by a.', dependsOn: [] },
        { id: 'readme', title: 'Fix the README', role: 'implement', instructions: 'Say there is no bug.', dependsOn: [] },
      ],
    });
    const env = cliEnv(server);
    const result = await coordinate(['run', plan, '--workers', '2'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const [runId] = await runIds(repo, env);
    const dir = runDir(repo, runId!);

    const events = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; taskId?: string; attempt?: number; reason?: string });
    const at = (type: string, taskId: string, attempt?: number) => events.findIndex((e) => e.type === type && e.taskId === taskId && (attempt === undefined || e.attempt === attempt));
    expect(events).toContainEqual(expect.objectContaining({ type: 'task.retried', taskId: 'order', attempt: 1, reason: 'waits for src/math.js, leased by add' }));
    // With two workers, the third task could only start on the worker the waiting task gave back, while the holder still ran.
    expect(at('task.started', 'readme')).toBeGreaterThan(at('task.finished', 'order', 1));
    expect(at('task.started', 'readme')).toBeLessThan(at('task.finished', 'add'));
    // It went again only once the holder's work was merged, and was told so.
    expect(at('task.started', 'order', 2)).toBeGreaterThan(at('task.merged', 'add'));
    const told = server.requests.filter((r) => r.taskId === 'order').map((r) => JSON.stringify(r.body));
    expect(told.some((body) => body.includes(FREE) && body.includes('was refused src/math.js, leased by task add'))).toBe(true);

    const report = RunReport.parse(await readJson(join(dir, 'report.json')));
    expect(report.tasks.find((task) => task.id === 'order')).toMatchObject({ outcome: 'succeeded', attempts: 2 });
    expect(report.mergeConflicts).toEqual([]);
    const merged = await isolatedGit(repo, ['show', `coordinate/${runId}:src/math.js`]);
    expect(merged).toContain('return a + b;');
    expect(merged).toContain('return b * a;');
    expect(await isolatedGit(repo, ['show', `coordinate/${runId}:README.md`])).toContain('no bug');
  }, SLOW_RUN);
});
