import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { completeTask, text, toolUse, turn, type Scenario } from '@coordinate/testkit';
import { closeServers, finished, progressOf, removeTempDirs, runAgents, scriptedServer, spec, tempDir } from './helpers.js';

afterEach(async () => {
  await closeServers();
  await removeTempDirs();
});

/** A small project for the tasks to look at. */
async function project(): Promise<string> {
  const repoRoot = await tempDir('coordinate-agents-');
  await writeFile(join(repoRoot, 'math.js'), 'export const add = (a, b) => a - b;\n');
  await writeFile(join(repoRoot, 'README.md'), '# math\n');
  return repoRoot;
}

const threeTasks = [spec('survey', 'research'), spec('inspect', 'research'), spec('check', 'verify', ['survey', 'inspect'])];
const threeTaskScenario: Scenario = {
  tasks: {
    survey: [
      turn(text('Listing files.'), toolUse('list_files', {})),
      turn(toolUse('read_file', { path: 'README.md' })),
      turn(completeTask({ status: 'succeeded', summary: 'two files' })),
    ],
    inspect: [
      turn(toolUse('search_files', { pattern: 'add' })),
      turn(toolUse('read_file', { path: 'math.js' })),
      turn(completeTask({ status: 'succeeded', summary: 'add subtracts' })),
    ],
    check: [
      turn(toolUse('run_command', { command: 'node --version' })),
      turn(completeTask({ status: 'succeeded', summary: 'node runs', evidence: [{ command: 'node --version', exitCode: 0, excerpt: 'v' }] })),
    ],
  },
};

describe('model-driven tasks on worker processes, under model faults', () => {
  it('completes the run with 20% of model requests answered 429 or 529, counting usage per task and per run', async () => {
    const server = await scriptedServer(threeTaskScenario, {
      seed: 7,
      rate: 0.2,
      kinds: [{ kind: 'rate_limit', retryAfterS: 0 }, { kind: 'overloaded' }],
    });
    const { outcome, events } = await runAgents({ repoRoot: await project(), runId: 'faults', tasks: threeTasks, server });

    expect(outcome.outcome).toBe('succeeded');
    const faulted = server.requests.filter((r) => r.status === 429 || r.status === 529);
    expect(faulted.length).toBeGreaterThan(0);
    const retries = ['survey', 'inspect', 'check'].flatMap((id) => progressOf(events, id)).filter((s) => s.startsWith('retry'));
    expect(retries).toHaveLength(faulted.length);

    // Only answered requests are paid for: per task, and summed for the run.
    const answered = (taskId: string) => server.requests.filter((r) => r.taskId === taskId && r.status === 200).length;
    for (const id of ['survey', 'inspect', 'check']) {
      expect(outcome.state.tasks[id]!.usage.requests).toBe(answered(id));
      expect(outcome.state.tasks[id]!.usage.outputTokens).toBeGreaterThan(0);
    }
    expect(outcome.state.usage.requests).toBe(server.requests.filter((r) => r.status === 200).length);
    expect(outcome.state.usage.costUsd).toBeGreaterThan(0);
    expect(finished(events, 'check')?.result.commandsRun).toEqual([expect.objectContaining({ command: 'node --version', exitCode: 0 })]);
  });

  it('retries a response stream that is cut in the middle and finishes the task', async () => {
    const server = await scriptedServer(
      { tasks: { survey: [turn(toolUse('read_file', { path: 'math.js' })), turn(completeTask({ status: 'succeeded', summary: 'read it' }))] } },
      { sequence: [{ kind: 'slow', ms: 0 }, { kind: 'cut_stream' }] },
    );
    const { outcome, events } = await runAgents({ repoRoot: await project(), runId: 'cut', tasks: [spec('survey', 'research')], server, workers: 1 });

    expect(outcome.outcome).toBe('succeeded');
    expect(server.requests.map((r) => r.fault ?? 'none')).toEqual(['slow', 'cut_stream', 'none']);
    expect(progressOf(events, 'survey')).toContainEqual(expect.stringMatching(/^retry 2 in \d+ ms: broken stream/));
    expect(finished(events, 'survey')?.result).toMatchObject({ outcome: 'succeeded', summary: 'read it', usage: { requests: 2 } });
  });

  it('fails a task whose model never calls complete_task at its turn limit, with that reason', async () => {
    // Each turn reads further on: a model that is still moving, just never done.
    const reading = (offset: number) => turn(text('Still looking.'), toolUse('read_file', { path: 'math.js', offset }));
    const server = await scriptedServer({ tasks: { wander: Array.from({ length: 10 }, (_, i) => reading(i + 1)) } });
    const { outcome, events } = await runAgents({
      repoRoot: await project(),
      runId: 'turns',
      tasks: [spec('wander', 'research')],
      server,
      workers: 1,
      prepare: () => ({ budget: { maxTurns: 4 } }),
    });

    expect(outcome.outcome).toBe('failed');
    const result = finished(events, 'wander')?.result;
    expect(result?.outcome).toBe('failed');
    expect(result?.error).toMatchObject({ code: 'turn_limit', message: expect.stringContaining('turn limit (maxTurns = 4)') });
    expect(server.requests.filter((r) => r.taskId === 'wander')).toHaveLength(4);
    expect(outcome.state.tasks.wander?.status).toBe('failed');
  });
});
