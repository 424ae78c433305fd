import { redactDeep, type Redactor } from '@coordinate/logging';
import type { AgentOutcome } from '@coordinate/model';
import type { CommandRun, TaskResultBody } from '@coordinate/protocol';

/** The protocol's limit on `commandsRun`; a verdict's evidence is about recent commands, so the latest are kept. */
const MAX_COMMANDS_RUN = 500;
/** Text of the runs kept, so a result stays well inside one protocol frame (8 MiB). */
const MAX_COMMANDS_RUN_CHARS = 4_000_000;

/** The latest runs whose text fits the limit. */
function latestRuns(runs: readonly CommandRun[]): CommandRun[] {
  const kept: CommandRun[] = [];
  let chars = 0;
  for (const run of runs.slice(-MAX_COMMANDS_RUN).reverse()) {
    chars += run.excerpt.length + run.command.length;
    if (chars > MAX_COMMANDS_RUN_CHARS) break;
    kept.push(run);
  }
  return kept.reverse();
}
const MAX_SUMMARY_CHARS = 20_000;

/**
 * The result a task reports for an agent outcome. `commandsRun` lets the coordinator check the
 * evidence a verdict claims; changed files are left to the coordinator, which diffs the worktree.
 * Everything is redacted: a summary or a command's output may quote a secret.
 */
export function taskResultOf(outcome: AgentOutcome, commandsRun: readonly CommandRun[], model: string, redactor: Redactor): TaskResultBody {
  const body: TaskResultBody = {
    outcome: outcome.outcome,
    summary: outcome.summary,
    ...(outcome.details !== undefined ? { details: outcome.details } : {}),
    ...(outcome.evidence !== undefined ? { evidence: outcome.evidence } : {}),
    commandsRun: latestRuns(commandsRun),
    usage: outcome.usage,
    output: { model, ending: outcome.ending, turns: outcome.turns, retries: outcome.retries.length },
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  const redacted = redactDeep(body, redactor);
  // A redaction marker may be longer than the secret it hides, so the limit is applied after it.
  return { ...redacted, summary: redacted.summary.slice(0, MAX_SUMMARY_CHARS) };
}
