import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_TASK_IDS, demoScenario } from './demo-scenario.js';
import { createFixtureRepo, createSampleRepo, isolatedGit as git, SAMPLE_FILES, type FixtureRepo } from './fixture-repo.js';
import { Scenario } from './scenario.js';

const run = promisify(execFile);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fixture(): Promise<FixtureRepo> {
  const repo = await createFixtureRepo();
  cleanups.push(() => repo.cleanup());
  return repo;
}

const nodeTest = (dir: string) =>
  run(process.execPath, ['--test'], { cwd: dir }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );

describe('fixture repository', () => {
  it('is a committed git repository on main whose test fails until add is fixed', async () => {
    const { dir } = await fixture();
    expect((await git(dir, ['branch', '--show-current'])).trim()).toBe('main');
    expect((await git(dir, ['status', '--porcelain'])).trim()).toBe('');
    expect((await git(dir, ['log', '--format=%an <%ae>'])).trim()).toBe('Sample Author <author@example.invalid>');
    expect(await nodeTest(dir)).not.toBe(0);

    const file = join(dir, 'src/math.js');
    await writeFile(file, (await readFile(file, 'utf8')).replace('return a - b;', 'return a + b;'));
    expect(await nodeTest(dir)).toBe(0);
  });

  it('refuses to write the sample into a folder that already has files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'coordinate-sample-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'keep.txt'), 'mine');
    await expect(createSampleRepo(dir)).rejects.toMatchObject({ code: 'fixture_dir_not_empty' });
    expect(await readFile(join(dir, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

describe('demo scenario', () => {
  it('is a valid scenario whose plan chains research, implement and verify', () => {
    const scenario = Scenario.parse(demoScenario());
    const plan = scenario.planner?.[0]?.content[0];
    expect(plan).toMatchObject({ type: 'tool_use', name: 'submit_plan' });
    const tasks = (plan as unknown as { input: { tasks: { id: string; role: string; dependsOn: string[] }[] } }).input.tasks;
    expect(tasks.map((t) => [t.id, t.role, t.dependsOn])).toEqual([
      [DEMO_TASK_IDS.research, 'research', []],
      [DEMO_TASK_IDS.implement, 'implement', [DEMO_TASK_IDS.research]],
      [DEMO_TASK_IDS.verify, 'verify', [DEMO_TASK_IDS.implement]],
    ]);
    for (const id of Object.values(DEMO_TASK_IDS)) {
      const last = scenario.tasks?.[id]?.at(-1)?.content.at(-1);
      expect(last).toMatchObject({ type: 'tool_use', name: 'complete_task' });
    }
  });

  it('edits a string that occurs exactly once in the sample source', () => {
    const edit = demoScenario()
      .tasks?.[DEMO_TASK_IDS.implement]?.flatMap((t) => t.content)
      .find((b) => b.type === 'tool_use' && b.name === 'edit_file');
    const oldString = (edit as unknown as { input: { old_string: string } }).input.old_string;
    expect(SAMPLE_FILES['src/math.js']!.split(oldString)).toHaveLength(2);
  });
});
