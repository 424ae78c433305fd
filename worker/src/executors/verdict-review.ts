import type { CompleteTaskInput } from '@coordinate/model';
import type { TaskSpec } from '@coordinate/protocol';
import { checkVerdict, correctionFor } from '@coordinate/tools';
import type { CommandLedger } from './command-ledger.js';

/**
 * The review a verification's `complete_task` gets before the task ends: its evidence is checked
 * against the commands the task really ran, as the coordinator will check it, and a verdict that
 * cannot be verified goes back to the model with what failed. Other roles, and failed verdicts, end as they say.
 */
export function verdictReview(task: TaskSpec, required: readonly string[], ledger: CommandLedger) {
  const correction = (completion: CompleteTaskInput, correctionsLeft: number): string | undefined => {
    // A failed verdict stands as given (the coordinator still marks any claim it cannot bear out).
    if (task.role !== 'verify' || completion.status !== 'succeeded') return undefined;
    const check = checkVerdict({ outcome: completion.status, claimed: completion.evidence ?? [], commandsRun: ledger.runs, required });
    return check.verified ? undefined : correctionFor(check, correctionsLeft);
  };
  return (completion: CompleteTaskInput, correctionsLeft: number): Promise<string | undefined> => Promise.resolve(correction(completion, correctionsLeft));
}
