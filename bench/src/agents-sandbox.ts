import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { commandLauncher } from '@coordinate/sandbox';
import { runCommand, safeCommandEnv } from '@coordinate/tools';
import { percentile } from './table.js';

export interface SandboxOverhead {
  sandboxedMsP50: number;
  unsandboxedMsP50: number;
  /**
   * What the OS sandbox adds to one command, in ms: the median over pairs of (sandboxed less
   * unsandboxed) `true`, each pair run back to back so a busy moment on the machine weighs on
   * both halves alike.
   */
  overheadMsP50: number;
  samples: number;
}

/**
 * Times `true` through run_command's own path, inside the task sandbox and with the person's
 * --no-sandbox, alternating the two; `samples` pairs after a short warm-up.
 */
export async function measureSandboxOverhead(samples: number): Promise<SandboxOverhead> {
  const root = await mkdtemp(join(tmpdir(), 'coordinate-bench-sandbox-'));
  try {
    const env = safeCommandEnv(process.env);
    const options = { root, home: process.env.HOME, network: false, env };
    const [inside, outside] = await Promise.all([commandLauncher({ ...options, sandbox: true }), commandLauncher({ ...options, sandbox: false })]);
    const time = async (launcher: typeof inside) => {
      const started = performance.now();
      await runCommand('true', { cwd: root, timeoutMs: 10_000, launcher });
      return performance.now() - started;
    };
    const sandboxed: number[] = [];
    const unsandboxed: number[] = [];
    const differences: number[] = [];
    for (let i = 0; i < 5; i++) await Promise.all([time(inside), time(outside)]);
    for (let i = 0; i < samples; i++) {
      // Which half goes first alternates, so neither always runs on a warmer cache.
      let inMs: number, outMs: number;
      if (i % 2 === 0) [inMs, outMs] = [await time(inside), await time(outside)];
      else [outMs, inMs] = [await time(outside), await time(inside)];
      sandboxed.push(inMs);
      unsandboxed.push(outMs);
      differences.push(inMs - outMs);
    }
    return { sandboxedMsP50: percentile(sandboxed, 50), unsandboxedMsP50: percentile(unsandboxed, 50), overheadMsP50: percentile(differences, 50), samples };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
