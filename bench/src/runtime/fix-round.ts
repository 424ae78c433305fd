import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeRun, type JournalEvent } from 'coordinate';
import type { TaskSpec } from '@coordinate/protocol';
import { createFixtureRepo, fixRoundScenario, startScriptedServer } from '@coordinate/testkit';

const tasks: TaskSpec[] = [
  { id: 'touch', title: 'Touch multiply', role: 'implement', instructions: 'tidy multiply', dependsOn: [], files: ['src/math.js'] },
  { id: 'tests', title: 'Run the tests', role: 'verify', instructions: 'run npm test', dependsOn: ['touch'], commands: ['npm test'] },
];

/**
 * How long a fix round takes to start: from the journaled failure of the verification to the fix
 * task's first model request, through the real run (the fix task's worktree included). No server
 * or worker starts in between: the fix joins the running session. The median of `runs` runs, in ms:
 * one run is one sample of a few git processes and a socket round trip, which a busy machine scatters.
 */
export async function measureFixRoundStart(runs = 3): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(await fixRoundStartOnce());
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function fixRoundStartOnce(): Promise<number> {
  const repo = await createFixtureRepo({ prefix: 'coordinate-bench-fix-' });
  const server = await startScriptedServer({ scenario: fixRoundScenario() });
  try {
    const result = await executeRun({
      repoRoot: repo.dir,
      runId: 'bench',
      goal: 'Make the failing test pass',
      tasks,
      workers: 2,
      executor: 'model',
      maxAttempts: 1,
      fixRounds: 1,
      workerEnv: { ANTHROPIC_API_KEY: 'bench-key', ANTHROPIC_BASE_URL: server.url, HOME: tmpdir() },
      modelSettings: { retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 5 } },
    });
    if (result.outcome !== 'succeeded') throw new Error(`the fix-round bench run ended ${result.outcome}`);
    const text = await readFile(join(repo.dir, '.coordinate', 'runs', 'bench', 'journal.jsonl'), 'utf8');
    const events = text.trim().split('\n').map((line) => JSON.parse(line) as JournalEvent);
    const failed = events.find((e) => e.type === 'task.failed' && e.taskId === 'tests');
    const firstFixRequest = server.requests.find((r) => r.taskId === 'tests-fix1');
    if (!failed || !firstFixRequest) throw new Error('the fix-round bench run has no failed verification or no fix request');
    return firstFixRequest.at - failed.ts;
  } finally {
    await server.close();
    await repo.cleanup();
  }
}
