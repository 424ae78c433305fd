import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport } from 'coordinate';
import { completeTask, isolatedGit, toolUse, turn, type Turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, SLOW_RUN, writePlanFile } from '../cli/helpers.js';

afterEach(cleanup);

const CHAIN: Record<string, { file: string; turns: Turn[] }> = {
  t1: { file: 'src/one.js', turns: [turn(toolUse('write_file', { path: 'src/one.js', content: 'export const one = 1;\n' }))] },
  t2: { file: 'src/math.js', turns: [turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' }))] },
  t3: { file: 'src/three.js', turns: [turn(toolUse('write_file', { path: 'src/three.js', content: "import { one } from './one.js';\nexport const three = one + 2;\n" }))] },
  t4: { file: 'README.md', turns: [turn(toolUse('edit_file', { path: 'README.md', old_string: 'one bug', new_string: 'no bug' }))] },
};

describe('--stack on a four-task chain', () => {
  it('writes four stacked branches, each based on the one before and holding exactly its task’s change, listed in report.md and report.json', async () => {
    const repo = await sampleRepo();
    const ids = Object.keys(CHAIN);
    const server = await scriptedServer({
      tasks: Object.fromEntries(ids.map((id) => [id, [...CHAIN[id]!.turns, turn(completeTask({ status: 'succeeded', summary: `${id} done.` }))]])),
    });
    const plan = await writePlanFile(repo, {
      goal: 'Four small changes in a row',
      summary: 'A chain.',
      tasks: ids.map((id, i) => ({ id, title: `Change ${id}`, role: 'implement' as const, instructions: `Change ${CHAIN[id]!.file}.`, dependsOn: i === 0 ? [] : [ids[i - 1]!] })),
    });
    const env = cliEnv(server);
    const result = await coordinate(['run', plan, '--stack'], { cwd: repo, env });
    expect(result.exitCode, result.stderr).toBe(0);
    const [runId] = await runIds(repo, env);
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));

    const branches = ids.map((id, i) => `coordinate/${runId}-stack-0${i + 1}-${id}`);
    expect(report.stack?.map((entry) => entry.branch)).toEqual(branches);
    let base = report.baseCommit!;
    for (const [i, id] of ids.entries()) {
      const branch = branches[i]!;
      expect(await isolatedGit(repo, ['rev-parse', `${branch}^`]).then((s) => s.trim())).toBe(await isolatedGit(repo, ['rev-parse', base]).then((s) => s.trim()));
      expect((await isolatedGit(repo, ['diff', '--name-only', base, branch])).trim()).toBe(CHAIN[id]!.file);
      expect(report.stack![i]).toMatchObject({ taskId: id, diffstat: { files: [{ path: CHAIN[id]!.file }] } });
      base = branch;
    }
    // the last stacked branch holds the whole run
    expect(await isolatedGit(repo, ['diff', '--stat', branches[3]!, `coordinate/${runId}`])).toBe('');

    const markdown = await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8');
    expect(markdown).toContain('## Stacked branches');
    expect(markdown).toContain(`- \`${branches[1]}\` (t2, base \`${branches[0]}\`): 1 file, +1 −1 (src/math.js)`);
    expect(result.stdout).toContain(branches[3]);
  }, SLOW_RUN);
});
