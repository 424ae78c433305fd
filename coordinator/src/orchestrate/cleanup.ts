import { readdir, rmdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { RunState } from '../journal/index.js';
import { isResumableOutcome, type RunOutcome } from '@coordinate/protocol';
import type { TaskWorkspaces } from './task-workspace.js';

const exists = (path: string) =>
  readdir(path).then(
    () => true,
    () => false,
  );

/**
 * Removes the worktrees whose work is done: every one of a succeeded run, else those of succeeded
 * tasks (merged, or a passed verification). Failed tasks keep theirs for inspection, and so do
 * unfinished ones, which a resume picks up: a stopped implementation's changes are committed to its
 * branch first, since a resumed attempt drops what is uncommitted. Returns the kept worktrees of failed tasks by task id.
 */
export async function cleanUpWorktrees(input: {
  state: RunState;
  outcome: RunOutcome;
  workspaces: TaskWorkspaces;
  worktreesDir: string;
  logger: Logger;
}): Promise<Map<string, string>> {
  const { state, outcome, workspaces, worktreesDir, logger } = input;
  const kept = new Map<string, string>();
  await workspaces.closeSpares().catch((error: unknown) => logger.warn({ err: error }, 'the spare worktree could not be removed'));
  for (const spec of state.run?.tasks ?? []) {
    if (spec.role === 'research') continue;
    const status = state.tasks[spec.id]?.status;
    const path = workspaces.pathOf(spec.id);
    if (status === 'succeeded' || outcome === 'succeeded') {
      await workspaces.remove(spec.id).catch((error: unknown) => logger.warn({ err: error, taskId: spec.id }, 'a worktree could not be removed'));
    } else if (status === 'failed' && (await exists(path))) {
      kept.set(spec.id, path);
    } else if (isResumableOutcome(outcome) && status !== 'skipped') {
      await workspaces.keep(spec, outcome).catch((error: unknown) => logger.warn({ err: error, taskId: spec.id }, "a stopped task's work could not be committed"));
    }
  }
  // Only an empty folder goes: anything left in it is a worktree kept on purpose.
  await rmdir(worktreesDir).catch(() => undefined);
  return kept;
}
