import { afterEach, describe, expect, it } from 'vitest';
import type { Plan } from '@coordinate/plan';
import { completeTask, toolUse, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, sampleRepo, scriptedServer, tempDir, writePlanFile } from './helpers.js';

afterEach(cleanup);

const memory = async (repo: string, args: string[]) => {
  const result = await coordinate(['memory', ...args], { cwd: repo, env: cliEnv() });
  expect(result.exitCode, result.stderr).toBe(0);
  return result.stdout;
};
const json = async <T>(repo: string, args: string[]) => JSON.parse(await memory(repo, [...args, '--json'])) as T;

describe('team memory keeps facts straight', () => {
  it('keeps a fact about one file when a like fact about another file arrives, and a search scoped to the first finds it', async () => {
    const repo = await sampleRepo();
    const math = await json<{ id: string }>(repo, ['add', 'The helper in src/math.js had the wrong operator.']);
    const mul = await json<{ id: string; action: string }>(repo, ['add', 'The helper in src/mul.js had the wrong operator.']);
    expect(mul.action).toBe('inserted');
    const live = await json<{ id: string; status: string }[]>(repo, ['list']);
    expect(live.map((entry) => entry.id).sort()).toEqual([math.id, mul.id].sort());
    const found = await json<{ id: string }[]>(repo, ['search', 'helper', 'operator', '--files', 'src/math.js']);
    expect(found[0]?.id).toBe(math.id);
  }, 120_000);

  it("holds a task's opposite of a person's directive for the person, both kept", async () => {
    const repo = await sampleRepo();
    const tabs = await json<{ id: string }>(repo, ['add', '--kind', 'directive', 'Always indent with tabs.']);
    const server = await scriptedServer({
      tasks: { notes: [turn(toolUse('memory_propose', { kind: 'directive', text: 'Never indent with tabs.' })), turn(completeTask({ status: 'succeeded', summary: 'noted' }))] },
    });
    const plan: Plan = {
      goal: 'Take notes',
      summary: 'Note the conventions.',
      tasks: [{ id: 'notes', title: 'Note conventions', role: 'research', instructions: 'Note the conventions.', dependsOn: [] }],
    };
    const run = await coordinate(['run', await writePlanFile(await tempDir(), plan)], { cwd: repo, env: cliEnv(server) });
    expect(run.exitCode, run.stderr).toBe(0);

    const held = await json<{ newer: { id: string; body: string }; older: { id: string } }[]>(repo, ['conflicts']);
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ newer: { body: 'Never indent with tabs.' }, older: { id: tabs.id } });
    expect((await json<{ id: string; status: string }[]>(repo, ['list'])).find((entry) => entry.id === tabs.id)?.status).toBe('active');
  }, 120_000);

  it('closes the older directive when the person adds the opposite one', async () => {
    const repo = await sampleRepo();
    const tabs = await json<{ id: string }>(repo, ['add', '--kind', 'directive', 'Always indent with tabs.']);
    const spaces = await json<{ action: string; superseded?: string[] }>(repo, ['add', '--kind', 'directive', 'Never indent with tabs.']);
    expect(spaces).toMatchObject({ action: 'superseded', superseded: [tabs.id] });
    expect((await json<{ id: string; status: string }[]>(repo, ['list', '--all'])).find((entry) => entry.id === tabs.id)?.status).toBe('superseded');
    expect(await json<unknown[]>(repo, ['conflicts'])).toEqual([]);
  }, 120_000);
});
