import { readFile } from 'node:fs/promises';
import { execa, type ResultPromise } from 'execa';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from 'coordinate';
import { fixRoundScenario } from '@coordinate/testkit';
import { BIN, cleanup, cliEnv, runDir, runIds, sampleRepo, scriptedServer, startCoordinate, tempDir, trackPids, waitFor, workerPids, writePlanFile } from './helpers.js';
import { fixRoundPlan } from './scenarios.js';

const byHand: ResultPromise[] = [];
afterEach(async () => {
  for (const child of byHand.splice(0)) {
    child.kill('SIGKILL');
    await child.catch(() => undefined);
  }
  await cleanup();
});

const readEvents = async (journal: string) =>
  (await readFile(journal, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalEvent);

/** The hint a run taking workers by hand prints: the token's file and the URL. */
const HINT = /COORDINATE_TOKEN="\$\(cat (\S+)\)" coordinate worker --url (ws:\/\/\S+)/;

/** Starts `coordinate run` of the fix-round plan listening for workers by hand, with `workers` of its own; resolves once it printed the hint. */
async function startFixRoundRun(workers: number) {
  const repo = await sampleRepo({ fixRounds: 1 });
  const server = await scriptedServer(fixRoundScenario());
  const env = cliEnv(server);
  const child = startCoordinate(['run', await writePlanFile(repo, fixRoundPlan), '--host', '127.0.0.1', '--port', '0', '--workers', String(workers)], { cwd: repo, env, timeoutMs: 180_000 });
  const output = { stdout: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  await waitFor(() => HINT.test(output.stdout), 'the hint for workers on other machines', 60_000);
  const [, tokenFile, url] = HINT.exec(output.stdout)!;
  return { repo, server, env, child, output, tokenFile: tokenFile!, url: url! };
}

describe('a run with a fix round', () => {
  it('keeps one listen address, one hint for other machines and exactly its --workers workers through the fix round', async () => {
    const { repo, env, child, output, url } = await startFixRoundRun(1);
    const [runId] = await runIds(repo, env);

    const finished = await child;
    expect(finished.exitCode, String(finished.stderr)).toBe(0);
    const journal = join(runDir(repo, runId!), 'journal.jsonl');
    trackPids(await workerPids(journal));
    const events = await readEvents(journal);
    expect(events.find((e) => e.type === 'tasks.added')).toMatchObject({ reason: { kind: 'fix', after: 'tests' } });
    expect(new Set(events.flatMap((e) => ('url' in e ? [e.url] : [])))).toEqual(new Set([url]));
    expect(output.stdout.match(/coordinate worker --url/g)).toHaveLength(1);
    const joined = events.flatMap((e) => (e.type === 'worker.joined' ? [e] : []));
    expect(joined).toHaveLength(1);
    expect(events.filter((e) => e.type === 'worker.lost')).toEqual([]);
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
  }, 240_000);

  it('keeps a hand-started worker connected from the first task through the fix round, where it serves the fix and the re-verify', async () => {
    // No worker of the run's own: every task, those of the fix round included, can only go to the one started by hand.
    const { repo, server, env, child, tokenFile, url } = await startFixRoundRun(0);
    const token = (await readFile(tokenFile, 'utf8')).trim();
    const worker = execa(process.execPath, [BIN, 'worker', '--url', url, '--root', await tempDir('coordinate-by-hand-')], {
      env: cliEnv(server, { COORDINATE_TOKEN: token }),
      extendEnv: false,
      reject: false,
      timeout: 180_000,
    });
    byHand.push(worker);

    const finished = await child;
    expect(finished.exitCode, String(finished.stderr)).toBe(0);
    const [runId] = await runIds(repo, env);
    const events = await readEvents(join(runDir(repo, runId!), 'journal.jsonl'));
    const added = events.find((e) => e.type === 'tasks.added');
    expect(added).toMatchObject({ reason: { kind: 'fix', after: 'tests' } });
    const fixTasks = added?.type === 'tasks.added' ? added.tasks.map((t) => t.id) : [];
    expect(fixTasks).toEqual(['tests-fix1', 'tests-re1']);

    // One join, never lost, and the same worker took the plan's tasks and the fix round's.
    const joined = events.flatMap((e) => (e.type === 'worker.joined' ? [e] : []));
    expect(joined).toEqual([expect.objectContaining({ remote: true })]);
    const workerId = joined[0]!.workerId;
    expect(events.filter((e) => e.type === 'worker.lost')).toEqual([]);
    const startedBy = new Map(events.flatMap((e) => (e.type === 'task.started' ? [[e.taskId, e.workerId] as const] : [])));
    expect(Object.fromEntries(startedBy)).toEqual({ touch: workerId, tests: workerId, 'tests-fix1': workerId, 'tests-re1': workerId });
    const finishedTasks = new Map(events.flatMap((e) => (e.type === 'task.finished' ? [[e.taskId, e.result.outcome] as const] : [])));
    expect(Object.fromEntries(finishedTasks)).toEqual({ touch: 'succeeded', tests: 'failed', 'tests-fix1': 'succeeded', 'tests-re1': 'succeeded' });

    // The worker connected once: it was told the run ended and left, never having to dial again.
    const left = await worker;
    expect(left.exitCode, String(left.stderr)).toBe(0);
    expect(String(left.stderr).match(/connected to the coordinator/g)).toHaveLength(1);
    expect(String(left.stderr)).not.toMatch(/connection to the coordinator lost|went silent/);
  }, 240_000);
});
