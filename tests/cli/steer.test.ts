import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RunReport, type JournalEvent } from 'coordinate';
import { completeTask, demoScenario, turn } from '@coordinate/testkit';
import { cleanup, cliEnv, coordinate, readJson, runDir, runIds, sampleRepo, scriptedServer, startCoordinate, trackPids, waitFor, workerPids, writePlanFile } from './helpers.js';
import { demoPlan, withDelay } from './scenarios.js';

afterEach(cleanup);

const NOTE = 'Keep the change to the one line of add; do not touch subtract.';

describe('coordinate steer', () => {
  it("puts a note into a running task's next model request and adds a task to the live graph, both journaled and reported", async () => {
    const repo = await sampleRepo({ workers: 1 });
    // fix-add's first answer is held long enough for the steer commands (each a process of its own) to arrive meanwhile.
    const demo = withDelay(demoScenario(), 'fix-add', 90_000);
    const server = await scriptedServer({ ...demo, tasks: { ...demo.tasks, 'steer-notes': [turn(completeTask({ status: 'succeeded', summary: 'Noted the change.' }))] } });
    const env = cliEnv(server);
    const child = startCoordinate(['run', await writePlanFile(repo, demoPlan())], { cwd: repo, env, timeoutMs: 180_000 });
    await waitFor(() => server.requests.some((r) => r.taskId === 'fix-add'), 'the fix task to ask the model', 60_000);
    const [runId] = await runIds(repo, env);
    trackPids(await workerPids(join(runDir(repo, runId!), 'journal.jsonl')));

    const noted = await coordinate(['steer', runId!, NOTE], { cwd: repo, env });
    expect(noted.exitCode, `${noted.stderr}\n${await readFile(join(runDir(repo, runId!), 'journal.jsonl'), 'utf8')}`).toBe(0);
    expect(noted.stdout).toContain('Delivered: the note reaches fix-add');
    const deliveredAt = Date.now();

    const unconfirmed = await coordinate(['steer', '--add-task', 'Write down what changed'], { cwd: repo, env });
    expect(unconfirmed.exitCode).toBe(2);
    expect(unconfirmed.stderr).toContain('nobody is at a terminal to confirm the new task');
    const added = await coordinate(['steer', '--add-task', '--yes', '--id', 'steer-notes', '--role', 'research', '--depends-on', 'run-tests', 'Write down what changed'], { cwd: repo, env });
    expect(added.exitCode, added.stderr).toBe(0);
    expect(added.stdout).toContain('Delivered: task steer-notes joined the run');

    const finished = await child;
    expect(finished.exitCode, String(finished.stderr)).toBe(0);
    const fixRequests = server.requests.filter((r) => r.taskId === 'fix-add' && r.status === 200);
    const before = fixRequests.filter((r) => r.at < deliveredAt);
    const after = fixRequests.filter((r) => r.at >= deliveredAt);
    expect(before.length).toBeGreaterThan(0);
    for (const request of before) expect(JSON.stringify(request.body)).not.toContain(NOTE);
    // The task's next request after the note was delivered carries it, as a user turn's text.
    expect(JSON.stringify(after[0]?.body)).toContain(`A note from the person running this task (coordinate steer):\\n${NOTE}`);
    expect(server.requests.some((r) => r.taskId === 'steer-notes')).toBe(true);

    const events = (await readFile(join(runDir(repo, runId!), 'journal.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEvent);
    expect(events.filter((e) => e.type === 'task.steered')).toMatchObject([{ taskId: 'fix-add', note: NOTE }]);
    expect(events.find((e) => e.type === 'tasks.added')).toMatchObject({ tasks: [{ id: 'steer-notes' }], reason: { kind: 'steer' } });
    const report = RunReport.parse(await readJson(join(runDir(repo, runId!), 'report.json')));
    expect(report.steering).toMatchObject([
      { kind: 'note', taskIds: ['fix-add'], text: NOTE },
      { kind: 'task', taskIds: ['steer-notes'], text: 'Write down what changed' },
    ]);
    expect(report.tasks.find((t) => t.id === 'steer-notes')?.outcome).toBe('succeeded');
    expect(await readFile(join(runDir(repo, runId!), 'report.md'), 'utf8')).toContain(`- Note to fix-add: ${NOTE}`);
  }, 240_000);

  it('refuses a run that is not running, saying so', async () => {
    const repo = await sampleRepo();
    const refused = await coordinate(['steer', 'a note'], { cwd: repo, env: cliEnv() });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('no run is running in this repository');
  }, 120_000);
});
