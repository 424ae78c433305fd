import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { executeRun, type ExecuteRunOptions, type JournalEvent } from 'coordinate';
import { cleanUp, fixtureRepo, git, tempDir } from '../orchestrate/helpers.js';
import { waitFor } from '../runtime/helpers.js';
import { FIX, fixPlan, task, TOKEN } from './helpers.js';
import { killIslandWorkers, makeIsland, namespacesUnavailable, removeIslands, setLink, startIslandWorker, type Island } from './netns.js';

/*
 * Workers on "other machines": each in a network namespace of its own, reaching the coordinator
 * only over a veth link, in a mount namespace where the repository's folder is covered by an empty
 * tmpfs. These need root, as CI has; without it they fail with the reason rather than pass unseen.
 */

let islands: Island[] = [];

beforeAll(async () => {
  const why = await namespacesUnavailable();
  if (why !== undefined) throw new Error(`these tests need network namespaces and cannot make them: ${why}`);
  islands = [await makeIsland(1), await makeIsland(2), await makeIsland(3)];
}, 30_000);

afterEach(async () => {
  await killIslandWorkers();
  for (const island of islands) await setLink(island, 'up').catch(() => undefined);
  await cleanUp();
});

afterAll(removeIslands);

/** Starts executeRun listening on every address; resolves with the port workers dial, the run, and its events so far. */
async function startRemoteRun(options: Omit<ExecuteRunOptions, 'workers' | 'executor' | 'host' | 'token'>) {
  const events: JournalEvent[] = [];
  let port: string | undefined;
  const done = executeRun({
    ...options,
    workers: 0,
    executor: 'deterministic',
    host: '0.0.0.0',
    token: TOKEN,
    onEvent: (event) => {
      events.push(event);
      if (event.type === 'run.started') port = new URL(event.url).port;
    },
  });
  done.catch(() => undefined);
  return { port: await waitFor(() => port, 'the coordinator to listen'), done, events };
}

const urlFor = (island: Island, port: string) => `ws://${island.hostAddress}:${port}`;
const ofTask = (events: JournalEvent[], type: JournalEvent['type'], taskId: string) => events.filter((e) => e.type === type && 'taskId' in e && e.taskId === taskId);

describe('workers across a network boundary, without the repository', () => {
  it('run a research → implement → verify plan entirely remotely, and its fix lands on the run branch', async () => {
    const repo = await fixtureRepo();
    const readme = await readFile(join(repo.dir, 'README.md'), 'utf8');
    const run = await startRemoteRun({ repoRoot: repo.dir, runId: 'islands', goal: 'fix it from three machines', ...fixPlan(readme) });
    for (const island of islands) void startIslandWorker(island, urlFor(island, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    const result = await run.done;
    expect(result.report.tasks.map((t) => [t.id, t.outcome])).toEqual([
      ['survey', 'succeeded'],
      ['fix', 'succeeded'],
      ['check', 'succeeded'],
    ]);
    expect(await git(repo.dir, ['show', `coordinate/islands:${FIX.path}`])).toBe(FIX.content);
    const joined = run.events.filter((e) => e.type === 'worker.joined');
    expect(joined).toHaveLength(3);
    expect(joined.every((e) => e.type === 'worker.joined' && e.remote)).toBe(true);
  });

  it('continue the same attempt when a worker\'s link is cut mid-task and restored: the task completes exactly once', async () => {
    const repo = await fixtureRepo();
    const island = islands[0]!;
    const run = await startRemoteRun({
      repoRoot: repo.dir,
      runId: 'partition',
      goal: 'survive a partition',
      tasks: [task({ id: 'long', role: 'implement' })],
      executorSettings: () => ({ deterministic: { sleepMs: 6_000, files: [FIX] } }),
      heartbeatMs: 250,
      deadAfterMs: 30_000,
    });
    const worker = startIslandWorker(island, urlFor(island, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    await waitFor(() => ofTask(run.events, 'task.started', 'long').length > 0, 'the task to start', 30_000);
    await setLink(island, 'down');
    // Long enough for both sides to count the connection as cut (three heartbeats) and the worker to redial in vain.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await setLink(island, 'up');
    const result = await run.done;
    expect(result.report.tasks).toEqual([expect.objectContaining({ id: 'long', outcome: 'succeeded', attempts: 1 })]);
    expect(ofTask(run.events, 'task.assigned', 'long')).toHaveLength(1);
    expect(ofTask(run.events, 'task.finished', 'long')).toHaveLength(1);
    expect(run.events.filter((e) => e.type === 'worker.lost')).toEqual([]);
    expect(await git(repo.dir, ['show', `coordinate/partition:${FIX.path}`])).toBe(FIX.content);
    // The link really was cut: the worker lost its connection and dialled again.
    const log = String((await worker).stderr);
    expect(log).toMatch(/connection to the coordinator lost|went silent/);
    expect(log.match(/"connected to the coordinator"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('re-queue the task of a SIGKILLed worker to another one', async () => {
    const repo = await fixtureRepo();
    const [first, second] = [islands[1]!, islands[2]!];
    const run = await startRemoteRun({
      repoRoot: repo.dir,
      runId: 'killed',
      goal: 'outlive a worker',
      tasks: [task({ id: 'work', role: 'implement' })],
      // The first attempt would outlast the test; the second finishes at once.
      executorSettings: (_task, attempt) => ({ deterministic: attempt === 1 ? { hang: true } : { files: [FIX] } }),
      heartbeatMs: 200,
      deadAfterMs: 1_500,
    });
    const doomed = startIslandWorker(first, urlFor(first, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    await waitFor(() => ofTask(run.events, 'task.started', 'work').length > 0, 'the task to start', 30_000);
    doomed.kill('SIGKILL');
    await doomed.catch(() => undefined);
    void startIslandWorker(second, urlFor(second, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    const result = await run.done;
    expect(result.report.tasks).toEqual([expect.objectContaining({ id: 'work', outcome: 'succeeded', attempts: 2 })]);
    const assigned = ofTask(run.events, 'task.assigned', 'work');
    expect(assigned).toHaveLength(2);
    expect(assigned[0]).not.toMatchObject({ workerId: (assigned[1] as { workerId: string }).workerId });
    expect(run.events.filter((e) => e.type === 'worker.lost')).toHaveLength(1);
    expect(await git(repo.dir, ['show', `coordinate/killed:${FIX.path}`])).toBe(FIX.content);
  });
});
