import { access, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, toolUse, turn } from '@coordinate/testkit';
import { closeServers, finished, progressOf, removeTempDirs, runAgents, scriptedServer, sentToModel, spec, tempDir } from './helpers.js';

afterEach(async () => {
  await closeServers();
  await removeTempDirs();
});

const PASSWD = 'root:x:0:0:outside-the-worktree:/root:/bin/sh\n';
const OUTSIDE_NOTE = 'a note outside the worktree\n';

describe('a model task cannot reach outside its worktree', () => {
  it('gets a denial for ../../etc/passwd, a symlink out and writes outside, and every file outside stays as it was', async () => {
    // repoRoot/nest/work is the task's root, so ../../etc/passwd names repoRoot/etc/passwd.
    const repoRoot = await tempDir('coordinate-agents-sandbox-');
    const root = join(repoRoot, 'nest', 'work');
    const outside = join(repoRoot, 'outside');
    await mkdir(root, { recursive: true });
    await mkdir(join(repoRoot, 'etc'));
    await mkdir(outside);
    await writeFile(join(repoRoot, 'etc', 'passwd'), PASSWD);
    await writeFile(join(outside, 'note.txt'), OUTSIDE_NOTE);
    await writeFile(join(root, 'inside.txt'), 'inside\n');
    await symlink(outside, join(root, 'escape'));

    const attempts = [
      toolUse('read_file', { path: '../../etc/passwd' }),
      toolUse('read_file', { path: 'escape/note.txt' }),
      toolUse('list_files', { path: 'escape' }),
      toolUse('write_file', { path: 'escape/new.txt', content: 'planted' }),
      toolUse('edit_file', { path: 'escape/note.txt', old_string: 'a note', new_string: 'an edited note' }),
      toolUse('write_file', { path: '../../etc/passwd', content: 'overwritten' }),
      toolUse('write_file', { path: '../planted.txt', content: 'planted' }),
    ];
    const server = await scriptedServer({
      tasks: {
        escape: [
          turn(...attempts),
          turn(toolUse('write_file', { path: 'made-inside.txt', content: 'changed inside\n' })),
          turn(completeTask({ status: 'succeeded', summary: 'only the worktree was touched' })),
        ],
      },
    });
    const { outcome, events } = await runAgents({ repoRoot, runId: 'sandbox', tasks: [spec('escape', 'implement')], server, workers: 1, prepare: () => ({ root }) });

    expect(outcome.outcome).toBe('succeeded');
    const denials = progressOf(events, 'escape').filter((line) => /^\w+ denied: /.test(line));
    // The calls of one turn run concurrently, so their denials arrive in any order.
    expect(denials.map((line) => line.split(' ')[0]).sort()).toEqual(['edit_file', 'list_files', 'read_file', 'read_file', 'write_file', 'write_file', 'write_file']);
    // Each denial is also a journal event of its own, for whoever audits the run.
    const journaled = events.flatMap((e) => (e.type === 'tool.denied' && e.taskId === 'escape' ? [e.tool] : []));
    expect(journaled.sort()).toEqual(['edit_file', 'list_files', 'read_file', 'read_file', 'write_file', 'write_file', 'write_file']);

    // The model read each refusal as an error result of its own call.
    const second = server.requests.find((r) => r.taskId === 'escape' && r.turnIndex === 1)!.body as { messages: { content: unknown }[] };
    const results = second.messages.at(-1)!.content as { is_error?: boolean; content: string }[];
    expect(results).toHaveLength(attempts.length);
    for (const result of results) expect(result).toMatchObject({ is_error: true, content: expect.stringMatching(/^denied: /) });

    expect(await readFile(join(repoRoot, 'etc', 'passwd'), 'utf8')).toBe(PASSWD);
    expect(await readFile(join(outside, 'note.txt'), 'utf8')).toBe(OUTSIDE_NOTE);
    await expect(access(join(outside, 'new.txt'))).rejects.toThrow();
    await expect(access(join(repoRoot, 'nest', 'planted.txt'))).rejects.toThrow();
    expect(sentToModel(server)).not.toContain('outside-the-worktree');
    expect(sentToModel(server)).not.toContain('a note outside');
    // The edit the task was allowed to make did happen.
    expect(await readFile(join(root, 'made-inside.txt'), 'utf8')).toBe('changed inside\n');
    expect(finished(events, 'escape')?.result.outcome).toBe('succeeded');
  });
});
