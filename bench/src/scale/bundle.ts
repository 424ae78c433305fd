import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerEntryPath } from 'coordinate';
import { startScaleRun, TOKEN } from './load.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd, stdio: 'ignore' });

/**
 * One research task on a real worker process without the repository: its base commit (a repository
 * of `megabytes` of incompressible content) travels as a bundle over loopback. The rate is the
 * bundle's size over the time between the worker's "fetching" and "fetched" log lines, which
 * includes making the bundle on the coordinator and checking its SHA-256 on both sides.
 */
export async function measureBundleTransfer(megabytes: number): Promise<{ mbPerS: number; bundleMb: number }> {
  const repoRoot = await mkdtemp(join(tmpdir(), 'coordinate-bench-bundle-'));
  const workerDir = await mkdtemp(join(tmpdir(), 'coordinate-bench-bundle-worker-'));
  try {
    git(repoRoot, 'init', '--quiet');
    await writeFile(join(repoRoot, 'blob.bin'), randomBytes(megabytes * 1024 * 1024));
    git(repoRoot, 'add', 'blob.bin');
    git(repoRoot, 'commit', '--quiet', '-m', 'bench content');
    // What executeRun makes before a run: the run branch a research task reads.
    git(repoRoot, 'branch', 'coordinate/scale');
    const run = await startScaleRun({ repoRoot, tasks: [{ id: 'read', title: 'read', role: 'research', instructions: 'bench', dependsOn: [] }], onEvent: () => undefined });
    const log = join(workerDir, 'worker.log');
    const worker = spawn(process.execPath, [workerEntryPath(), '--url', run.url, '--executor', 'deterministic', '--log', log], {
      cwd: workerDir,
      env: { PATH: process.env.PATH ?? '', HOME: workerDir, COORDINATE_TOKEN: TOKEN },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const result = await run.done;
    await exited;
    if (result.outcome !== 'succeeded') throw new Error(`the bundle run ended ${result.outcome}`);
    const lines = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; time: number; bytes?: number });
    const from = lines.find((line) => line.msg === 'fetching the base commit as a bundle');
    const to = lines.find((line) => line.msg === 'base commit fetched as a bundle');
    if (!from || !to?.bytes) throw new Error('the worker did not fetch a bundle');
    const bundleMb = to.bytes / 1024 / 1024;
    return { mbPerS: bundleMb / ((to.time - from.time) / 1000), bundleMb };
  } finally {
    await rm(repoRoot, { recursive: true, force: true });
    await rm(workerDir, { recursive: true, force: true });
  }
}
