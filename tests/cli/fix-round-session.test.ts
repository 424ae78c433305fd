import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEvent } from 'coordinate';
import { fixRoundScenario } from '@coordinate/testkit';
import { cleanup, cliEnv, runDir, runIds, sampleRepo, scriptedServer, startCoordinate, trackPids, waitFor, workerPids, writePlanFile } from './helpers.js';
import { fixRoundPlan } from './scenarios.js';

afterEach(cleanup);

describe('a run with a fix round', () => {
  it('keeps one listen address, one hint for other machines and exactly its --workers workers through the fix round', async () => {
    const repo = await sampleRepo({ fixRounds: 1 });
    const server = await scriptedServer(fixRoundScenario());
    const env = cliEnv(server);
    const child = startCoordinate(['run', await writePlanFile(repo, fixRoundPlan), '--host', '127.0.0.1', '--port', '0', '--workers', '1'], { cwd: repo, env, timeoutMs: 180_000 });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    await waitFor(() => /coordinate worker --url (ws:\/\/\S+)/.test(stdout), 'the hint for workers on other machines', 60_000);
    const [runId] = await runIds(repo, env);
    const url = /coordinate worker --url (ws:\/\/\S+)/.exec(stdout)![1]!;

    const finished = await child;
    expect(finished.exitCode, String(finished.stderr)).toBe(0);
    const journal = join(runDir(repo, runId!), 'journal.jsonl');
    trackPids(await workerPids(journal));
    const events = (await readFile(journal, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as JournalEvent);
    expect(events.find((e) => e.type === 'tasks.added')).toMatchObject({ reason: { kind: 'fix', after: 'tests' } });
    expect(new Set(events.flatMap((e) => ('url' in e ? [e.url] : [])))).toEqual(new Set([url]));
    expect(stdout.match(/coordinate worker --url/g)).toHaveLength(1);
    const joined = events.flatMap((e) => (e.type === 'worker.joined' ? [e] : []));
    expect(joined).toHaveLength(1);
    expect(events.filter((e) => e.type === 'worker.lost')).toEqual([]);
    expect(events.filter((e) => e.type === 'run.started')).toHaveLength(1);
  }, 240_000);
});
