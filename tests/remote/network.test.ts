import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResultPromise } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { JournalEvent } from 'coordinate';
import { cleanUp, fixtureRepo, git, tempDir } from '../orchestrate/helpers.js';
import { waitFor } from '../runtime/helpers.js';
import { FIX, fixPlan, task, TOKEN, type RemotePlan } from './helpers.js';
import {
  killNamespaceProcesses,
  makeCoordinatorNamespace,
  makeIsland,
  namespacesUnavailable,
  removeNetwork,
  setLink,
  startInCoordinatorNamespace,
  startIslandWorker,
  type Island,
} from './netns.js';

/*
 * Every process on a "machine" of its own: the coordinator in one network namespace, each worker in
 * another, reaching the coordinator only over its own veth link, in a mount namespace where the
 * repository's folder is covered by an empty tmpfs. These need root, as CI has; where namespaces
 * cannot be made they are skipped, and the reason is printed and named in the suite's title.
 */

const unavailable = await namespacesUnavailable();
if (unavailable !== undefined) console.warn(`tests/remote/network.test.ts skipped: ${unavailable}`);

const coordinatorScript = fileURLToPath(new URL('./fixtures/coordinator-run.mjs', import.meta.url));
let islands: Island[] = [];

type Line = JournalEvent | { type: 'run.result'; outcome: string; tasks: { id: string; outcome: string; attempts: number }[] };

/**
 * Starts the coordinator in its namespace with `plan`; resolves with the port workers dial, the
 * lines it has written so far (its journal's events, then its result) and the result itself.
 */
async function startRemoteRun(options: { repoRoot: string; runId: string; goal: string; plan: RemotePlan; heartbeatMs?: number; deadAfterMs?: number }) {
  const coordinator: ResultPromise = startInCoordinatorNamespace(coordinatorScript, [JSON.stringify({ ...options, token: TOKEN })], options.repoRoot);
  const lines: Line[] = [];
  let pending = '';
  coordinator.stdout!.setEncoding('utf8');
  coordinator.stdout!.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop()!;
    for (const line of parts) if (line.trim()) lines.push(JSON.parse(line) as Line);
  });
  const done = coordinator.then((ended) => {
    const result = lines.find((line) => line.type === 'run.result');
    if (!result || result.type !== 'run.result') throw new Error(`the coordinator ended (exit ${ended.exitCode}) without a result: ${String(ended.stderr).slice(-2000)}`);
    return result;
  });
  done.catch(() => undefined);
  const started = await waitFor(() => lines.find((line) => line.type === 'run.started'), 'the coordinator to listen', 30_000);
  const port = started.type === 'run.started' ? new URL(started.url).port : '';
  return { port, done, events: lines as JournalEvent[] };
}

/** How a TCP connection from the tests' own namespace to `host:port` ends: 'connected' or the error's code. */
const dial = (host: string, port: string) =>
  new Promise<string>((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 2_000 });
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('timeout', () => (socket.destroy(), resolve('timed out')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });

const urlFor = (island: Island, port: string) => `ws://${island.coordinatorAddress}:${port}`;
const ofTask = (events: JournalEvent[], type: JournalEvent['type'], taskId: string) => events.filter((e) => e.type === type && 'taskId' in e && e.taskId === taskId);

describe.skipIf(unavailable !== undefined)(`a coordinator and workers each in a network namespace of their own${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    await makeCoordinatorNamespace();
    islands = [await makeIsland(1), await makeIsland(2), await makeIsland(3)];
  }, 30_000);

  afterEach(async () => {
    await killNamespaceProcesses();
    for (const island of islands) await setLink(island, 'up').catch(() => undefined);
    await cleanUp();
  });

  // Also when beforeAll or a test failed: every process first, then every namespace it ran in.
  afterAll(async () => {
    await killNamespaceProcesses();
    await removeNetwork();
  });

  it('run a research → implement → verify plan entirely remotely, and its fix lands on the run branch', async () => {
    const repo = await fixtureRepo();
    const readme = await readFile(join(repo.dir, 'README.md'), 'utf8');
    const run = await startRemoteRun({ repoRoot: repo.dir, runId: 'islands', goal: 'fix it from three machines', plan: fixPlan(readme) });
    // The coordinator is on a machine of its own too: while it listens, its address leads nowhere from the tests' namespace.
    expect(await dial(islands[0]!.coordinatorAddress, run.port)).not.toBe('connected');
    for (const island of islands) void startIslandWorker(island, urlFor(island, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    const result = await run.done;
    expect(result.tasks.map((t) => [t.id, t.outcome])).toEqual([
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
      plan: { tasks: [task({ id: 'long', role: 'implement' })], settings: { long: [{ sleepMs: 6_000, files: [FIX] }] } },
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
    expect(result.tasks).toEqual([expect.objectContaining({ id: 'long', outcome: 'succeeded', attempts: 1 })]);
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
      // The first attempt would outlast the test; the second finishes at once.
      plan: { tasks: [task({ id: 'work', role: 'implement' })], settings: { work: [{ hang: true }, { files: [FIX] }] } },
      heartbeatMs: 200,
      deadAfterMs: 1_500,
    });
    const doomed = startIslandWorker(first, urlFor(first, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    await waitFor(() => ofTask(run.events, 'task.started', 'work').length > 0, 'the task to start', 30_000);
    doomed.kill('SIGKILL');
    await doomed.catch(() => undefined);
    void startIslandWorker(second, urlFor(second, run.port), await tempDir('coordinate-island-'), TOKEN, [repo.dir]);
    const result = await run.done;
    expect(result.tasks).toEqual([expect.objectContaining({ id: 'work', outcome: 'succeeded', attempts: 2 })]);
    const assigned = ofTask(run.events, 'task.assigned', 'work');
    expect(assigned).toHaveLength(2);
    expect(assigned[0]).not.toMatchObject({ workerId: (assigned[1] as { workerId: string }).workerId });
    expect(run.events.filter((e) => e.type === 'worker.lost')).toHaveLength(1);
    expect(await git(repo.dir, ['show', `coordinate/killed:${FIX.path}`])).toBe(FIX.content);
  });
});
