import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPaths, runPlan } from 'coordinate';
import type { TaskSpec } from '@coordinate/protocol';
import type { Turn } from '@coordinate/testkit';
import { startScriptedServerThread } from './agents-server-thread.js';
import { BENCH_MODEL, readingTurns, writeNotes } from './agents-task.js';

export interface ParallelOptions {
  /** Model answers per task, each delayed by `delayMs`. */
  turns: number;
  delayMs: number;
  /**
   * Give every worker one quick task first, so the measured tasks run on warm workers: a fresh
   * process pays once for compiling its code and opening its first HTTP connection.
   */
  warm: boolean;
  /**
   * How long to wait after the warm-up before the measured tasks start. A process goes on
   * optimizing and collecting in the background for a while after its first task; on a 2-core
   * machine eight of them doing so would be measured as the tasks' own work. In a long run that
   * happens once, at the start.
   */
  settleMs?: number;
}

const spec = (id: string): TaskSpec => ({ id, title: `Read the notes (${id})`, role: 'research', instructions: 'Read notes.txt.', dependsOn: [] });
const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}`);

/**
 * The wall time of `tasks` independent model-driven tasks on `workers` real worker processes, from
 * the moment they can all start (every worker joined; after the warm-up, when asked for) to the
 * last result in the journal. Process start-up is left out: it is paid once per run, not per task.
 */
export async function timeParallelRun(tasks: number, workers: number, options: ParallelOptions): Promise<number> {
  const warmIds = options.warm ? range('warm', workers) : [];
  const ids = range('task', tasks);
  const scripts: Record<string, Turn[]> = {
    ...Object.fromEntries(warmIds.map((id) => [id, readingTurns(2)])),
    ...Object.fromEntries(ids.map((id) => [id, readingTurns(options.turns, options.delayMs)])),
  };
  const server = await startScriptedServerThread({ tasks: scripts }, { timed: false });
  const repoRoot = await mkdtemp(join(tmpdir(), 'coordinate-bench-parallel-'));
  try {
    await writeNotes(repoRoot);
    const specs = [...warmIds, ...ids].map(spec);
    const paths = runPaths(repoRoot, 'bench');
    let joined = 0;
    let warmFinished = 0;
    let startedAt = 0;
    let lastResultAt = 0;
    let release!: () => void;
    let releaseMeasured!: () => void;
    const everyoneJoined = new Promise<void>((resolve) => (release = resolve));
    const warmedUp = new Promise<void>((resolve) => (releaseMeasured = resolve));
    const start = () => {
      setTimeout(() => {
        startedAt = performance.now();
        releaseMeasured();
      }, options.settleMs ?? 0);
    };
    const outcome = await runPlan({
      repoRoot,
      runId: 'bench',
      goal: 'benchmark parallel tasks',
      tasks: specs,
      workers,
      executor: 'model',
      maxAttempts: 1,
      workerEnv: { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'bench-key-not-secret' },
      onEvent: (event) => {
        if (event.type === 'worker.joined' && ++joined === workers) {
          release();
          if (!options.warm) start();
        }
        if (event.type !== 'task.finished') return;
        if (warmIds.includes(event.taskId)) {
          if (++warmFinished === warmIds.length) start();
        } else {
          lastResultAt = performance.now();
        }
      },
      // Holding every task until all workers are there gives each worker one warm-up task; the
      // measured tasks, independent like the warm-ups, wait until every warm-up is done.
      prepare: async (task) => {
        await (warmIds.includes(task.id) ? everyoneJoined : warmedUp);
        return { settings: { model: { model: BENCH_MODEL, transcriptFile: join(paths.transcripts, `${task.id}.jsonl`) } } };
      },
    });
    if (outcome.outcome !== 'succeeded') throw new Error(`the parallel run on ${workers} workers ended ${outcome.outcome}`);
    return lastResultAt - startedAt;
  } finally {
    await server.close();
    await rm(repoRoot, { recursive: true, force: true });
  }
}
