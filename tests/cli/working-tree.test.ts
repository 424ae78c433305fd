import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, submitPlan, toolUse, turn, type Scenario } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, SLOW_RUN, readJson, runDir, runIds, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';

afterEach(cleanup);

const fixPlan = {
  goal: 'Fix add',
  summary: 'Fix, then run the tests.',
  tasks: [
    { id: 'fix', title: 'Fix add', role: 'implement' as const, instructions: 'Make add return the sum.', dependsOn: [] },
    { id: 'check', title: 'Run the tests', role: 'verify' as const, instructions: 'Run npm test.', dependsOn: ['fix'], commands: ['npm test'] },
  ],
};

const fixScenario = (): Scenario => ({
  planner: [turn(submitPlan(fixPlan))],
  tasks: {
    fix: [
      turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
      turn(completeTask({ status: 'succeeded', summary: 'Fixed add.' })),
    ],
    check: [
      turn(toolUse('run_command', { command: 'npm test' })),
      turn(completeTask({ status: 'succeeded', summary: 'npm test passes.', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass' }] })),
    ],
  },
});

/** The sample repository with a changed README (unstaged), a staged note and an untracked test. */
async function dirtyRepo(): Promise<string> {
  const repo = await sampleRepo();
  await writeFile(join(repo, 'README.md'), '# sample-math\n\nChanged, not committed.\n');
  await writeFile(join(repo, 'NOTES.md'), 'staged, not committed\n');
  await isolatedGit(repo, ['add', 'NOTES.md']);
  await writeFile(join(repo, 'test', 'extra.test.js'), "import { test } from 'node:test';\ntest('new', () => {});\n");
  return repo;
}

const personState = async (repo: string) => ({
  status: await isolatedGit(repo, ['status', '--porcelain=v1', '--untracked-files=all']),
  staged: await isolatedGit(repo, ['diff', '--cached']),
  head: await isolatedGit(repo, ['rev-parse', 'HEAD']),
});

describe("the person's uncommitted work", () => {
  it('is listed as not seen by the run on the approval screen and in the reports', async () => {
    const repo = await dirtyRepo();
    const server = await scriptedServer(fixScenario());
    const env = cliEnv(server);
    const result = await coordinate(['Fix add', '--yes'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/Not seen by the run: 3 uncommitted or untracked files in your working tree/);
    for (const file of ['README.md', 'NOTES.md', 'test/extra.test.js']) expect(output).toContain(`  ${file}`);

    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect([...report.notSeen!].sort()).toEqual(['NOTES.md', 'README.md', 'test/extra.test.js']);
    expect(await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8')).toContain('Not seen by the run: 3 uncommitted or untracked files');
    await expect(isolatedGit(repo, ['show', `coordinate/${runId}:test/extra.test.js`])).rejects.toThrow();
  }, SLOW_RUN);

  it('with --include-uncommitted, is the run’s starting point while the person’s files and index stay untouched', async () => {
    const repo = await dirtyRepo();
    const before = await personState(repo);
    const server = await scriptedServer(fixScenario());
    const env = cliEnv(server);
    const result = await coordinate(['Fix add', '--yes', '--include-uncommitted'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('Not seen by the run');

    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.notSeen).toBeUndefined();
    expect(report.includedUncommitted).toBe(true);
    const branch = `coordinate/${runId}`;
    expect(await isolatedGit(repo, ['show', `${branch}:test/extra.test.js`])).toContain("test('new'");
    expect(await isolatedGit(repo, ['show', `${branch}:README.md`])).toContain('Changed, not committed.');
    expect(await isolatedGit(repo, ['show', `${branch}:NOTES.md`])).toContain('staged, not committed');
    expect(await isolatedGit(repo, ['show', `${branch}:src/math.js`])).toContain('return a + b;');
    expect(await personState(repo)).toEqual(before);
  }, SLOW_RUN);
});

describe('--apply', () => {
  it('is not blocked by the run’s own report files inside the repository', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer(fixScenario());
    const plan = await writePlanFile(join(repo, '..'), fixPlan);
    const result = await coordinate(['run', plan, '--apply', '--junit', 'junit.xml', '--report-json', 'report.json'], { cwd: repo, env: cliEnv(server) });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(join(repo, 'src', 'math.js'), 'utf8')).toContain('return a + b;');
    expect(RunReport.parse(await readJson(join(repo, 'report.json'))).apply.applied).toBe(true);
    // the summary says it once, and nothing beside it says the opposite
    expect(result.stdout.match(/Applied: merged into your current branch and working tree\./g)).toHaveLength(1);
    expect(result.stdout).not.toMatch(/untouched|not touched/);
    const [runId] = await runIds(repo, cliEnv());
    const reportMd = await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8');
    expect(reportMd).toContain('Applied: merged into your current branch and working tree.');
    expect(reportMd).not.toMatch(/untouched|not touched/);
  }, SLOW_RUN);
});

describe('a relative symbolic link that leads out of the repository', () => {
  it('reaches the same place in a task worktree as in the checkout', async () => {
    const repo = await sampleRepo();
    const outside = join(dirname(repo), 'shared-data');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'value.txt'), 'from outside');
    await symlink('../shared-data', join(repo, 'shared'));
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    pkg.scripts['show-shared'] = `node -e "process.stdout.write(require('node:fs').readFileSync('shared/value.txt', 'utf8'))"`;
    await writeFile(join(repo, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
    await isolatedGit(repo, ['add', '-A']);
    await isolatedGit(repo, ['commit', '-q', '-m', 'Link the shared data']);

    const server = await scriptedServer({
      tasks: {
        check: [
          turn(toolUse('run_command', { command: 'npm run show-shared' })),
          turn(completeTask({ status: 'succeeded', summary: 'The shared data is there.', evidence: [{ command: 'npm run show-shared', exitCode: 0, excerpt: 'from outside' }] })),
        ],
      },
    });
    const plan = await writePlanFile(join(repo, '..'), {
      goal: 'Check the shared data',
      summary: 'One verification.',
      tasks: [{ id: 'check', title: 'Read the shared data', role: 'verify', instructions: 'Run npm run show-shared.', dependsOn: [], commands: ['npm run show-shared'] }],
    });
    const env = cliEnv(server);
    // The command sandbox gives each task a private /tmp, which hides this test's temp folder: the link's
    // target must be reachable for the worktree's link to be checked, so this run goes without it.
    const result = await coordinate(['run', plan, '--no-sandbox'], { cwd: repo, env });
    expect(result.exitCode, result.stderr + result.stdout).toBe(0);
    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.tasks[0]!.evidence).toEqual([expect.objectContaining({ command: 'npm run show-shared', exitCode: 0, verified: true })]);
    // The link as committed is unchanged.
    expect(await isolatedGit(repo, ['cat-file', '-p', `HEAD:shared`])).toBe('../shared-data');
  }, SLOW_RUN);
});
