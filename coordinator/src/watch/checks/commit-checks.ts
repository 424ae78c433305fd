import { realpath, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { commandLauncher } from '@coordinate/sandbox';
import { runCommand, safeCommandEnv, type CommandResult } from '@coordinate/tools';
import { git } from '../../git/index.js';

export interface CommandCheck {
  command: string;
  exitCode: number;
  timedOut: boolean;
  /** The end of the output, where a failure usually says what went wrong. */
  excerpt: string;
}

export interface CommitCheckOptions {
  repo: string;
  commit: string;
  /** The project's commands (`commands.test`, `lint`, `build`), run in this order. */
  commands: readonly string[];
  /** Where the worktree of the commit goes; it is removed afterwards. */
  worktreesDir: string;
  /** Time all commands together may take. */
  timeoutMs: number;
  /** False is the person's --no-sandbox: the commands run outside the OS sandbox. */
  sandbox: boolean;
  signal?: AbortSignal;
}

const EXCERPT_CHARS = 2000;

/**
 * Runs the project's commands on a detached worktree of `commit` through the tools' command
 * runner inside the same OS sandbox as task commands (the worktree writable, no network, the
 * home hidden), each within what is left of the time budget; stops at the first failure. The
 * person's checkout is never touched. Rejects with SandboxUnavailableError when no sandbox can
 * be made and `sandbox` is true.
 */
export async function checkCommit(options: CommitCheckOptions): Promise<CommandCheck[]> {
  const { repo, commit, commands, worktreesDir, signal } = options;
  const path = join(worktreesDir, commit.slice(0, 12));
  await rm(path, { recursive: true, force: true });
  await git(['worktree', 'prune'], { cwd: repo });
  await git(['worktree', 'add', '--quiet', '--detach', path, commit], { cwd: repo });
  const deadline = Date.now() + options.timeoutMs;
  const results: CommandCheck[] = [];
  try {
    const launcher = await commandLauncher({ root: await realpath(path), home: process.env.HOME, network: false, env: safeCommandEnv(process.env), sandbox: options.sandbox });
    for (const command of commands) {
      const left = deadline - Date.now();
      if (left <= 0) {
        results.push({ command, exitCode: 124, timedOut: true, excerpt: '[not run: the tick ran out of time]' });
        break;
      }
      const result: CommandResult = await runCommand(command, { cwd: path, timeoutMs: left, launcher, ...(signal ? { signal } : {}) });
      results.push({ command, exitCode: result.exitCode, timedOut: result.timedOut, excerpt: result.output.slice(-EXCERPT_CHARS) });
      if (result.exitCode !== 0) break;
    }
  } finally {
    await git(['worktree', 'remove', '--force', '--force', path], { cwd: repo, okExitCodes: [0, 128] });
  }
  return results;
}
