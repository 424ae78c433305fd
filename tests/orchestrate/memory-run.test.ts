import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openMemory, type MemoryStore } from '@coordinate/memory';
import { completeTask, toolUse, turn } from '@coordinate/testkit';
import { executeRun } from 'coordinate';
import { cleanUp, fixtureRepo, modelEnv, quickModel, scriptedModel, task, tempDir } from './helpers.js';

const stores: MemoryStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) store.close();
  await cleanUp();
});

describe('team memory in a run', () => {
  it('hands tasks their entries, enforces directives, admits proposals and learns from the outcome', async () => {
    const repo = await fixtureRepo();
    const store = openMemory(join(await tempDir(), 'memory.db'), { repoRoot: repo.dir });
    stores.push(store);
    const fact = store.admit({ kind: 'fact', title: 'add lives in src/math.js', text: 'The add function in src/math.js is exported and tested by test/math.test.js.', files: ['src/math.js'] });
    store.admit({ kind: 'directive', text: 'Never edit test/math.test.js.' });
    const server = await scriptedModel({
      tasks: {
        fix: [
          turn(toolUse('edit_file', { path: 'test/math.test.js', old_string: 'assert.equal(add(2, 3), 5);', new_string: '' })),
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          turn(toolUse('memory_propose', { kind: 'pitfall', text: 'The add function once subtracted; test/math.test.js catches it.' })),
          turn(completeTask({ status: 'succeeded', summary: 'add now adds' })),
        ],
      },
    });
    const result = await executeRun({
      repoRoot: repo.dir,
      runId: 'mem',
      goal: 'fix add',
      tasks: [task({ id: 'fix', role: 'implement', title: 'Fix the add function', instructions: 'Make add in src/math.js return the sum.', files: ['src/math.js'] })],
      workers: 1,
      workerEnv: modelEnv(server),
      modelSettings: quickModel,
      maxAttempts: 1,
      memory: store,
    });
    expect(result.outcome).toBe('succeeded');
    const bodies = JSON.stringify(server.requests.map((r) => r.body));
    expect(bodies).toContain(fact.id);
    expect(bodies).toMatch(/breaks directive/);
    expect(result.report.tasks[0]!.changedFiles).toEqual(['src/math.js']);

    const learnt = store.list();
    expect(learnt.find((e) => e.kind === 'pitfall' && e.source?.taskId === 'fix' && e.source.runId === 'mem')).toBeDefined();
    expect(learnt.find((e) => e.kind === 'fact' && e.title.startsWith('Files involved in'))).toBeDefined();
    expect(store.get(fact.id)).toMatchObject({ uses: 1, successes: 1, failures: 0 });
    expect(store.runsSinceDream()).toBe(1);
  });

  it('records procedures only from the commands of tasks a verification passed', async () => {
    const repo = await fixtureRepo();
    const store = openMemory(join(await tempDir(), 'memory.db'), { repoRoot: repo.dir });
    stores.push(store);
    const server = await scriptedModel({
      tasks: {
        fix: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          turn(toolUse('run_command', { command: 'node --test' })),
          turn(completeTask({ status: 'succeeded', summary: 'add now adds' })),
        ],
        // The same repair and a passing command, but in work no verification checked.
        side: [
          turn(toolUse('edit_file', { path: 'src/math.js', old_string: 'return a - b;', new_string: 'return a + b;' })),
          turn(toolUse('run_command', { command: 'npm run test' })),
          turn(completeTask({ status: 'succeeded', summary: 'add adds here too' })),
        ],
        check: [
          turn(toolUse('run_command', { command: 'npm test' })),
          turn(completeTask({ status: 'succeeded', summary: 'tests pass', evidence: [{ command: 'npm test', exitCode: 0, excerpt: 'pass 2' }] })),
        ],
      },
    });
    const result = await executeRun({
      repoRoot: repo.dir,
      runId: 'proc',
      goal: 'fix add',
      tasks: [
        task({ id: 'fix', role: 'implement', files: ['src/math.js'] }),
        task({ id: 'side', role: 'implement' }),
        task({ id: 'check', role: 'verify', dependsOn: ['fix'], commands: ['npm test'] }),
      ],
      workers: 1,
      workerEnv: modelEnv(server),
      modelSettings: quickModel,
      maxAttempts: 1,
      fixRounds: 0,
      memory: store,
    });
    expect(result.report.tasks.map((t) => [t.id, t.outcome])).toEqual([['fix', 'succeeded'], ['side', 'succeeded'], ['check', 'succeeded']]);
    // Alike commands merge into one procedure, so each task's credit is read from the history.
    const credited = store
      .list({ kind: 'procedure', includeArchived: true })
      .flatMap((entry) => store.history(entry.id).map((event) => event.detail))
      .join('\n');
    expect(credited).toContain('proc/fix');
    expect(credited).toContain('proc/check');
    expect(credited).not.toContain('proc/side');
  }, 180_000);
});
