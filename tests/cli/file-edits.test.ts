import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, isolatedGit, toolUse, turn, type ScriptedBlock } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, SLOW_RUN, runIds, sampleRepo, scriptedServer, writePlanFile } from './helpers.js';

afterEach(cleanup);

/** A plan of one implementation task, `edit`, whose scripted model answers with `edits` in one turn. */
async function runOneEditTask(repo: string, edits: ScriptedBlock[]) {
  const server = await scriptedServer({
    tasks: {
      edit: [turn(toolUse('read_file', { path: 'src/math.js' })), turn(...edits), turn(completeTask({ status: 'succeeded', summary: 'Edited.' }))],
    },
  });
  const plan = await writePlanFile(repo, {
    goal: 'Edit files',
    summary: 'One implementation task.',
    tasks: [{ id: 'edit', title: 'Edit the files', role: 'implement', instructions: 'Make the edits.', dependsOn: [] }],
  });
  const env = cliEnv(server);
  const result = await coordinate(['run', plan, '--workers', '1'], { cwd: repo, env });
  const [runId] = await runIds(repo, env);
  const onRunBranch = (file: string) => isolatedGit(repo, ['show', `coordinate/${runId}:${file}`]);
  const rawOnRunBranch = async (file: string) =>
    Buffer.from((await execa('git', ['cat-file', 'blob', `coordinate/${runId}:${file}`], { cwd: repo, encoding: 'buffer', stripFinalNewline: false, env })).stdout);
  return { result, runId: runId!, server, onRunBranch, rawOnRunBranch };
}

/** Commits extra files into the sample repository. */
async function commitFiles(repo: string, files: Record<string, Buffer | string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) await writeFile(join(repo, name), content);
  await isolatedGit(repo, ['add', '-A']);
  await isolatedGit(repo, ['-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Add files']);
}

describe('edits of one model answer', () => {
  it('lands all four edit_file calls of one answer on one file on the run branch', async () => {
    const repo = await sampleRepo();
    const edits = [
      ['export function add', 'export function plus'],
      ['return a - b;', 'return a + b;'],
      ['export function multiply', 'export function times'],
      ['return a * b;', 'return b * a;'],
    ].map(([old_string, new_string]) => toolUse('edit_file', { path: 'src/math.js', old_string, new_string }));
    const { result, onRunBranch } = await runOneEditTask(repo, edits);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await onRunBranch('src/math.js')).toBe('export function plus(a, b) {\n  return a + b;\n}\n\nexport function times(a, b) {\n  return b * a;\n}\n');
  }, SLOW_RUN);
});

describe('bytes outside an edit', () => {
  it('keeps line 1 of a Windows-1252 file byte-identical, and the diff the model saw is the diff committed', async () => {
    const repo = await sampleRepo();
    const line1 = Buffer.from([0x2f, 0x2f, 0x20, 0xe9, 0xfc, 0xa9, 0x99, 0x0a]);
    await commitFiles(repo, { 'src/legacy.js': Buffer.concat([line1, Buffer.from('export const price = 1;\n')]) });
    const { result, server, rawOnRunBranch, runId } = await runOneEditTask(repo, [
      toolUse('read_file', { path: 'src/legacy.js' }),
      toolUse('edit_file', { path: 'src/legacy.js', old_string: 'price = 1', new_string: 'price = 2' }),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    const after = await rawOnRunBranch('src/legacy.js');
    expect(after.subarray(0, line1.length)).toEqual(line1);
    expect(after.subarray(line1.length).toString('latin1')).toBe('export const price = 2;\n');

    const told = JSON.stringify(server.requests.map((request) => request.body));
    expect(told).toContain('updated src/legacy.js (+1 −1 lines)');
    const committed = await isolatedGit(repo, ['diff', '--numstat', 'main', `coordinate/${runId}`, '--', 'src/legacy.js']);
    expect(committed.trim().split('\t').slice(0, 2)).toEqual(['1', '1']);
  }, SLOW_RUN);

  it('keeps the BOM and the CRLF line ends of a file it edits', async () => {
    const repo = await sampleRepo();
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    await commitFiles(repo, { 'src/win.js': Buffer.concat([bom, Buffer.from('export const a = 1;\r\nexport const b = 2;\r\n')]) });
    const { result, rawOnRunBranch } = await runOneEditTask(repo, [
      // One line becomes two: the new line end must be the file's "\r\n", not the model's "\n".
      toolUse('edit_file', { path: 'src/win.js', old_string: 'export const b = 2;', new_string: 'export const b = 20;\nexport const c = 30;' }),
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await rawOnRunBranch('src/win.js')).toEqual(Buffer.concat([bom, Buffer.from('export const a = 1;\r\nexport const b = 20;\r\nexport const c = 30;\r\n')]));
  }, SLOW_RUN);
});
