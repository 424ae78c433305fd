import type { CommandRun } from '@coordinate/protocol';
import { checksNothing, normalizeCommand, type VerdictCheck } from '@coordinate/tools';

/**
 * Whether a failed verification warrants a fix task: only when a command it had to prove really
 * failed on its last run. Without required commands (a weak verification), a command that checks
 * something and whose last real run failed counts. Bad evidence alone (a quote not found, a command
 * never run) never does: there is nothing known to be broken to fix.
 */
export function warrantsFix(check: VerdictCheck, commandsRun: readonly CommandRun[]): boolean {
  if (check.required.length > 0) return check.required.some((item) => item.lastRun !== undefined && item.lastRun.exitCode !== 0);
  const last = new Map<string, CommandRun>();
  for (const run of commandsRun) last.set(normalizeCommand(run.command), run);
  return [...last.values()].some((run) => run.exitCode !== 0 && !checksNothing(run.command));
}
