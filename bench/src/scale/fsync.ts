import { close, fsync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { percentile } from '../table.js';

const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/**
 * How long the disk under `folder` takes to make one appended journal line durable: `count`
 * appends of a line, each followed by an fsync as the journal's group commit makes, `gapMs` apart.
 * Every dispatch waits for one such fsync (a worker hears of its task only once the journal has
 * it), so this is the floor under the dispatch figures on that disk.
 */
export async function measureFsync(folder: string, count: number, gapMs: number): Promise<{ p50: number; p99: number }> {
  const dir = await mkdtemp(join(folder, 'coordinate-bench-fsync-'));
  const fd = openSync(join(dir, 'journal.jsonl'), 'a');
  const line = Buffer.from(`${JSON.stringify({ type: 'task.assigned', taskId: 't1', attempt: 1, workerId: 'remote-1', ts: Date.now() })}\n`);
  const durations: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      writeSync(fd, line);
      const start = performance.now();
      await fsyncAsync(fd);
      durations.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, gapMs));
    }
  } finally {
    await closeAsync(fd);
    await rm(dir, { recursive: true, force: true });
  }
  return { p50: percentile(durations, 50), p99: percentile(durations, 99) };
}
