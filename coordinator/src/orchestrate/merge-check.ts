import type { MergeCheckFailure } from '@coordinate/protocol';
import { checkCommit } from '../watch/checks/commit-checks.js';

export interface MergeCheckOptions {
  repo: string;
  /** `commands.check`: a fast check (typecheck, lint, a quick test subset). */
  command: string;
  /** Where the check's temporary worktree goes. */
  worktreesDir: string;
  timeoutMs: number;
  /** False is the person's --no-sandbox. */
  sandbox: boolean;
}

/** Checks one merged run-branch commit; resolves with the failure, or undefined when the check passed. */
export type MergeCheck = (commit: string, attempt: number) => Promise<MergeCheckFailure | undefined>;

/**
 * The run branch's check: `commands.check` run in the OS sandbox on a detached worktree of the
 * merged commit (the watcher's commit check), so verification starts from a tree that builds.
 */
export function createMergeCheck(options: MergeCheckOptions): MergeCheck {
  return async (commit, attempt) => {
    const [result] = await checkCommit({ ...options, commit, commands: [options.command] });
    if (!result || result.exitCode === 0) return undefined;
    return { attempt, command: result.command, exitCode: result.timedOut ? null : result.exitCode, output: result.excerpt };
  };
}
