import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, isolatedGit, toolUse, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, SLOW_RUN, runIds, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';

afterEach(cleanup);

const branchesOf = async (repo: string) => (await isolatedGit(repo, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/coordinate/'])).trim().split('\n').filter(Boolean).sort();

describe('coordinate clean', () => {
  it('shows and removes the worktrees and task and set-aside branches a finished run left, and its run branch only when named', async () => {
    const repo = await sampleRepo();
    const server = await scriptedServer({
      tasks: {
        edit: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          turn(completeTask({ status: 'failed', summary: 'Could not finish.' })),
        ],
      },
    });
    const plan = await writePlanFile(join(repo, '..'), {
      goal: 'Edit',
      summary: 'One task that gives up.',
      tasks: [{ id: 'edit', title: 'Edit add', role: 'implement', instructions: 'Fix add.', dependsOn: [] }],
    });
    const env = cliEnv(server);
    expect((await coordinate(['run', plan], { cwd: repo, env })).exitCode).toBe(1);
    const [runId] = await runIds(repo, env);
    const worktree = join(repo, '.coordinate', 'worktrees', runId!, 'edit');
    expect((await stat(worktree)).isDirectory()).toBe(true);
    // As a set-aside attempt of a merge conflict would be.
    await isolatedGit(repo, ['branch', `coordinate/${runId}-edit-conflict1`, `coordinate/${runId}-edit`]);
    expect(await branchesOf(repo)).toEqual([`coordinate/${runId}`, `coordinate/${runId}-edit`, `coordinate/${runId}-edit-conflict1`]);

    const tooNew = await coordinate(['clean', '--older-than', '7d'], { cwd: repo, env });
    expect(tooNew.stdout).toBe('Nothing to clean.');
    expect(await branchesOf(repo)).toHaveLength(3);

    const cleaned = await coordinate(['clean'], { cwd: repo, env });
    expect(cleaned.exitCode, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toContain(`Run ${runId}:`);
    expect(cleaned.stdout).toContain(`  worktree ${worktree}`);
    expect(cleaned.stdout).toContain(`  branch coordinate/${runId}-edit\n`);
    expect(cleaned.stdout).toContain(`  branch coordinate/${runId}-edit-conflict1`);
    await expect(stat(worktree)).rejects.toThrow();
    expect(await branchesOf(repo)).toEqual([`coordinate/${runId}`]);

    const refused = await coordinate(['clean', '--run-branches'], { cwd: repo, env });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--run-branches deletes run branches only of runs you name');

    const named = await coordinate(['clean', runId!, '--run-branches'], { cwd: repo, env });
    expect(named.stdout).toContain(`  run branch coordinate/${runId}`);
    expect(await branchesOf(repo)).toEqual([]);
  }, SLOW_RUN);
});
