import { z } from 'zod';
import { Evidence, type CommandRun, type Outcome } from '@coordinate/protocol';
import { excerptAppearsIn, normalizeCommand, quotesNothing } from './excerpt-match.js';
import { checksNothing } from './trivial-command.js';

/** One claim of a verdict's `evidence`, and whether a command that really ran bears it out. */
export const CheckedEvidence = Evidence.extend({ verified: z.boolean(), reason: z.string().optional() });
export type CheckedEvidence = z.infer<typeof CheckedEvidence>;

/** A command the task had to prove, and its last real run (absent when it never ran). */
export const RequiredCommandCheck = z.object({
  command: z.string(),
  /** True when its last run exited 0 and came after the task's last change to the tree. */
  passed: z.boolean(),
  /** The last real run, as the model was shown it. */
  lastRun: z.object({ exitCode: z.number().int(), excerpt: z.string() }).optional(),
  reason: z.string().optional(),
});
export type RequiredCommandCheck = z.infer<typeof RequiredCommandCheck>;

/** What the gate concluded about a verdict; kept in the task's result and shown in every report. */
export const VerdictCheck = z.object({
  /** False turns a `succeeded` verdict into a failure. */
  verified: z.boolean(),
  /** True when no required command was known, so any real check the task cited had to do. */
  weak: z.boolean(),
  items: z.array(CheckedEvidence),
  required: z.array(RequiredCommandCheck),
  /** Every reason the verdict could not be accepted, each naming exactly what is missing. */
  problems: z.array(z.string()),
  reason: z.string().optional(),
});
export type VerdictCheck = z.infer<typeof VerdictCheck>;

export interface VerdictCheckInput {
  outcome: Outcome;
  /** What the task's `complete_task` says it ran. */
  claimed: readonly Evidence[];
  /** The `run_command` calls the task really made, in order, as the model was shown them. */
  commandsRun: readonly CommandRun[];
  /** The commands the verdict must prove: the plan's `commands`, else the configured test commands; may be empty. */
  required: readonly string[];
}

const MAX_SHOWN_COMMAND = 200;
const named = (command: string) => `\`${normalizeCommand(command).slice(0, MAX_SHOWN_COMMAND)}\``;
const runsOf = (command: string, runs: readonly CommandRun[]) => runs.filter((run) => normalizeCommand(run.command) === normalizeCommand(command));

function checkClaim(claim: Evidence, commandsRun: readonly CommandRun[]): CheckedEvidence {
  const unverified = (reason: string): CheckedEvidence => ({ ...claim, verified: false, reason });
  if (quotesNothing(claim.excerpt)) return unverified(`the excerpt cited for ${named(claim.command)} quotes nothing: quote the lines of its output that show the result`);
  const runs = runsOf(claim.command, commandsRun);
  if (runs.length === 0) return unverified(`${named(claim.command)} is cited but never ran in this task`);
  const quoted = runs.filter((run) => excerptAppearsIn(claim.excerpt, run.excerpt));
  if (quoted.length === 0) return unverified(`the output quoted for ${named(claim.command)} is not in what it printed`);
  if (!quoted.some((run) => run.exitCode === claim.exitCode)) {
    const real = [...new Set(quoted.map((run) => run.exitCode))].join(' or ');
    return unverified(`${named(claim.command)} is cited with exit code ${claim.exitCode}, but the run quoted exited ${real}`);
  }
  return { ...claim, verified: true };
}

/** The first run after `index` that left the tree different from how run `index` left it. */
function laterChange(commandsRun: readonly CommandRun[], index: number): CommandRun | undefined {
  const tree = commandsRun[index]?.tree;
  if (tree === undefined) return undefined;
  return commandsRun.slice(index + 1).find((run) => run.tree !== undefined && run.tree !== tree);
}

function checkRequired(command: string, commandsRun: readonly CommandRun[]): RequiredCommandCheck {
  const index = commandsRun.findLastIndex((run) => normalizeCommand(run.command) === normalizeCommand(command));
  if (index === -1) return { command, passed: false, reason: `${named(command)} was required but never ran` };
  const last = commandsRun[index]!;
  const lastRun = { exitCode: last.exitCode, excerpt: last.excerpt };
  if (last.exitCode !== 0) return { command, passed: false, lastRun, reason: `${named(command)} last exited ${last.exitCode}` };
  const change = laterChange(commandsRun, index);
  if (change) return { command, passed: false, lastRun, reason: `${named(command)} last ran before ${named(change.command)} changed the tree: run it again` };
  return { command, passed: true, lastRun };
}

/**
 * Checks a verdict against the commands the task really ran. A `succeeded` verdict is verified only
 * when every claim is borne out by a run (its quote in what the model was shown, its exit code
 * true), no claim shows a non-zero exit, and every required command's last run exited 0 after the
 * task's last change to the tree; without required commands it must cite at least one command that
 * checks something (and is then `weak`). A `failed` verdict stands either way; its claims are
 * checked so the report never shows an invented one as real.
 */
export function checkVerdict(input: VerdictCheckInput): VerdictCheck {
  const { outcome, commandsRun } = input;
  const required = [...new Map(input.required.map((command) => [normalizeCommand(command), command])).values()];
  const items = input.claimed.map((claim) => checkClaim(claim, commandsRun));
  const requiredChecks = required.map((command) => checkRequired(command, commandsRun));
  const problems = items.flatMap((item) => (item.reason ? [item.reason] : []));
  if (outcome === 'succeeded') {
    problems.push(...requiredChecks.flatMap((check) => (check.reason ? [check.reason] : [])));
    for (const item of items.filter((item) => item.verified && item.exitCode !== 0)) {
      problems.push(`a success cannot rest on ${named(item.command)}, which exited ${item.exitCode}`);
    }
    if (items.length === 0) problems.push('the verdict cites no evidence: list each command it ran, its exit code and a quote of its output');
    else if (required.length === 0 && !items.some((item) => item.verified && !checksNothing(item.command))) {
      problems.push('no required command is known, so the verdict must cite at least one command that checks something (`true`, `echo` and the like check nothing)');
    }
  }
  const unique = [...new Set(problems)];
  return {
    verified: unique.length === 0,
    weak: required.length === 0,
    items,
    required: requiredChecks,
    problems: unique,
    ...(unique.length > 0 ? { reason: unique.join('; ') } : {}),
  };
}
