import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeLogger, createLogger } from '@coordinate/logging';
import { encode, type ProgressEvent, type TaskResultBody, type Usage } from '@coordinate/protocol';
import { completeTask, text, toolUse, turn, type Turn } from '@coordinate/testkit';
import { sharedClockMs } from './agents-clock.js';
import { runInProcess } from './in-process-task.js';

export const BENCH_MODEL = 'claude-haiku-4-5';
export const BENCH_TASK_ID = 'bench-task';
const NOTES = Array.from({ length: 40 }, (_, i) => `line ${i + 1}: a note the task reads on every turn`).join('\n');

/** The file every benchmark task reads, written into its root. */
export const writeNotes = (root: string) => writeFile(join(root, 'notes.txt'), `${NOTES}\n`);

/** A task that reads a file on each of `turns - 1` turns, then completes: the shape of a long research task. */
export function readingTurns(turns: number, delayMs = 0): Turn[] {
  const read = { ...turn(text('Reading the notes again.'), toolUse('read_file', { path: 'notes.txt', limit: 40 })), ...(delayMs ? { delayMs } : {}) };
  const done = { ...turn(completeTask({ status: 'succeeded', summary: 'read the notes' })), ...(delayMs ? { delayMs } : {}) };
  return [...Array.from({ length: turns - 1 }, () => read), done];
}

export interface InProcessRun {
  result: TaskResultBody;
  usage: Usage;
}

/**
 * Runs one research task with the model executor in this process, as a worker would: a real
 * worktree folder, scratchpad, log file and transcript, and every progress event encoded as the
 * frame it would be sent as. `onProgress` sees each event with its time on the shared clock.
 */
export async function runTaskInProcess(options: {
  baseUrl: string;
  cache: boolean;
  maxTurns: number;
  onProgress?: (event: ProgressEvent, at: number) => void;
}): Promise<InProcessRun> {
  const dir = await mkdtemp(join(tmpdir(), 'coordinate-bench-agents-'));
  const logger = createLogger({ file: join(dir, 'worker.log'), name: 'bench-worker' });
  try {
    const root = join(dir, 'root');
    const scratchpadDir = join(dir, 'scratchpad');
    await Promise.all([mkdir(root), mkdir(scratchpadDir)]);
    await writeNotes(root);
    const result = await runInProcess({
      task: { id: BENCH_TASK_ID, title: 'Read the notes', role: 'research', instructions: 'Read notes.txt until you know it.', dependsOn: [] },
      baseUrl: options.baseUrl,
      root,
      scratchpadDir,
      maxTurns: options.maxTurns,
      model: { model: BENCH_MODEL, cache: options.cache, transcriptFile: join(dir, 'transcripts', `${BENCH_TASK_ID}.jsonl`) },
      progress: (event, usage) => {
        const at = sharedClockMs();
        encode({ type: 'task.progress', taskId: BENCH_TASK_ID, attempt: 1, event, ...(usage ? { usage } : {}) });
        options.onProgress?.(event, at);
      },
      logger,
    });
    return { result, usage: result.usage };
  } finally {
    await closeLogger(logger);
    await rm(dir, { recursive: true, force: true });
  }
}
