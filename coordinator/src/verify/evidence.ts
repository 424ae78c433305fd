import type { Evidence, Outcome } from '@coordinate/protocol';
import { excerptAppearsIn, normalizeCommand } from './excerpt-match.js';

export interface CheckedEvidence extends Evidence {
  verified: boolean;
  /** Why the claim could not be matched with a command that really ran. */
  reason?: string;
}

export interface EvidenceCheck {
  /** False turns a succeeded verification into a failure. */
  verified: boolean;
  items: CheckedEvidence[];
  reason?: string;
}

export interface EvidenceCheckInput {
  /** What the verify task's `complete_task` says it ran. */
  claimed: readonly Evidence[];
  /** The `run_command` calls the task really made, in order. */
  commandsRun: readonly Evidence[];
  outcome: Outcome;
}

const quote = (command: string) => `"${normalizeCommand(command).slice(0, 200)}"`;

function checkClaim(claim: Evidence, commandsRun: readonly Evidence[]): CheckedEvidence {
  const unverified = (reason: string): CheckedEvidence => ({ ...claim, verified: false, reason });
  const runs = commandsRun.filter((run) => normalizeCommand(run.command) === normalizeCommand(claim.command));
  const last = runs.at(-1);
  if (last === undefined) return unverified(`${quote(claim.command)} was never run`);

  const sameExit = runs.filter((run) => run.exitCode === claim.exitCode);
  if (sameExit.length === 0) {
    const real = [...new Set(runs.map((run) => run.exitCode))].join(', ');
    return unverified(`${quote(claim.command)} is claimed to have exited with ${claim.exitCode}, but it exited with ${real}`);
  }
  // An earlier pass does not vouch for the code as it ended up.
  if (claim.exitCode === 0 && last.exitCode !== 0) {
    return unverified(`${quote(claim.command)} is claimed to pass, but its last run exited with ${last.exitCode}`);
  }
  if (!sameExit.some((run) => excerptAppearsIn(claim.excerpt, run.excerpt))) {
    return unverified(`the output quoted for ${quote(claim.command)} is not in what it printed`);
  }
  return { ...claim, verified: true };
}

/**
 * Checks a verification's claimed evidence against the commands it really ran. A succeeded verdict
 * stands only with at least one claim and every claim matched; a failed verdict needs no evidence,
 * but its claims are checked all the same, so the report never shows an invented one as real.
 */
export function checkEvidence(input: EvidenceCheckInput): EvidenceCheck {
  const items = input.claimed.map((claim) => checkClaim(claim, input.commandsRun));
  const failing = items.filter((item) => !item.verified);
  if (failing.length > 0) {
    const reasons = failing.slice(0, 3).map((item) => item.reason);
    const more = failing.length > 3 ? `; and ${failing.length - 3} more` : '';
    return { verified: false, items, reason: `unverified evidence: ${reasons.join('; ')}${more}` };
  }
  if (input.outcome === 'succeeded' && items.length === 0) {
    return {
      verified: false,
      items,
      reason: 'the verification reported success without evidence: it must list the commands it ran, their exit codes and output excerpts',
    };
  }
  return { verified: true, items };
}
