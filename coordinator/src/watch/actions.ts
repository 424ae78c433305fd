import { dirname } from 'node:path';
import type { Plan } from '@coordinate/plan';
import type { Tier } from '@coordinate/tools';
import { readRun, summarize } from '../commands/run-store.js';
import { branchCommit } from '../git/index.js';
import type { WatchDecision } from '../journal/index.js';
import { runBranch } from '../run/layout.js';
import { startFixRun, withinBlockingBudget } from './fix-run.js';
import { appendEntry } from './inbox.js';
import { plainText } from './plain-text.js';
import { writeProposal } from './proposals.js';
import type { WatchSession } from './session.js';
import { ACTION_TIERS, ceilingRefusal, type WatchAction } from './tiers.js';

/** An action needs at least this many dollars of its tier's daily budget left. */
const MIN_ACTION_USD = 0.01;

export interface ActionRequest {
  kind: WatchAction;
  reason: string;
  branch?: string;
  plan?: Plan;
}

const decision = (session: WatchSession, request: ActionRequest, tier: Tier, outcome: WatchDecision['outcome'], detail: string): WatchDecision => ({
  action: request.kind,
  tier,
  outcome,
  detail,
  budgetLeft: session.ledger.left(tier, Date.now()),
});

/** Why an external action (a push, a comment, a pull request: anything other people see) is only ever proposed. */
export const EXTERNAL_NEEDS_A_PERSON = 'what others see (a push, a comment, a pull request) is only proposed: a person does it, whatever the tier\'s budget';

/**
 * Carries out one action the triage asked for, in this order: the hard ceilings (never merge,
 * never force-push, never push to a default, protected or foreign branch) refuse whatever the
 * budget says; an external action becomes a proposal whatever its tier's budget, without spending
 * it; a tier whose daily budget is spent turns the action into a proposal in the inbox; otherwise
 * the action runs. Returns the decision for the tick's receipt.
 */
export async function carryOut(session: WatchSession, request: ActionRequest): Promise<WatchDecision> {
  const tier = ACTION_TIERS[request.kind];
  const refusal = ceilingRefusal(request.kind, request.branch, { defaultBranch: session.defaultBranch, protectedBranches: session.branches });
  if (refusal) {
    session.print(`[refused] ${request.kind}: ${refusal}`);
    return decision(session, request, tier, 'refused', refusal);
  }
  if (tier === 'external') return propose(session, request, tier, EXTERNAL_NEEDS_A_PERSON);
  if (!session.ledger.take(tier, MIN_ACTION_USD, Date.now())) return propose(session, request, tier, `the ${tier} tier's daily budget is spent`);
  switch (request.kind) {
    case 'fix':
      return request.plan ? fix(session, request, request.plan) : decision(session, request, tier, 'failed', 'a fix needs a plan and the triage gave none');
    case 'propose':
      return propose(session, request, tier, 'the triage proposed it');
    case 'note':
    case 'dream':
      return decision(session, request, tier, 'done', request.reason);
    default:
      // Only external kinds are left, and they were proposed above.
      return propose(session, request, tier, EXTERNAL_NEEDS_A_PERSON);
  }
}

/** The degraded form of an action: a plan.md ready for `coordinate run` (when there is a plan) and an inbox entry. */
async function propose(session: WatchSession, request: ActionRequest, tier: Tier, why: string): Promise<WatchDecision> {
  const proposal = request.plan ? await writeProposal(session.paths.proposals, request.plan) : undefined;
  if (proposal) session.state.proposals.push(proposal);
  const how = proposal ? `Run it with: coordinate run ${proposal.planMd}\nTo reject it, delete ${dirname(proposal.planMd)}` : `Do it yourself if you agree: ${request.kind}${request.branch ? ` ${request.branch}` : ''}.`;
  const title = `proposal: ${request.kind}${request.branch ? ` ${request.branch}` : ''}${proposal ? ` — ${proposal.goal}` : ''}`;
  const shown = session.redact(plainText(title));
  await appendEntry(session.paths.inbox, { at: Date.now(), label: 'proposal', title: shown, detail: session.redact(plainText(`${request.reason}\n${why}.\n${how}`)) });
  session.print(`[proposal] ${shown} (${why})`);
  return decision(session, request, tier, 'proposed', `${why}; ${proposal ? proposal.planMd : 'inbox'}`);
}

/** A fix as a run on its own branch; past the blocking budget it goes on in the background and the tick returns. */
async function fix(session: WatchSession, request: ActionRequest, plan: Plan): Promise<WatchDecision> {
  const base = await branchCommit(session.repoRoot, session.defaultBranch);
  const run = await startFixRun(session.context, session.repoRoot, session.settings, plan, session.sandbox);
  const branch = runBranch(run.runId);
  const record = { runId: run.runId, branch, ...(base ? { base } : {}), finished: false, status: 'open' as const };
  session.state.branches.push(record);
  session.print(`[fix] run ${run.runId} on ${branch}: ${plan.goal}`);
  const settled = run.done.then(
    async (exitCode) => {
      record.finished = true;
      const tip = await branchCommit(session.repoRoot, branch);
      if (tip) Object.assign(record, { tip });
      const stored = await readRun(session.repoRoot, run.runId).catch(() => undefined);
      if (stored) session.ledger.spend('edit', 0, summarize(stored, Date.now()).costUsd, Date.now());
      const verified = exitCode === 0;
      const title = session.redact(plainText(verified ? `fix verified on ${branch}: ${plan.goal}` : `fix run ${run.runId} did not verify (exit ${exitCode})`));
      await appendEntry(session.paths.inbox, {
        at: Date.now(),
        label: 'fix',
        title,
        detail: verified ? `Review it with: git log -p ${session.defaultBranch}..${branch}\nMerging it is your decision.` : `See: coordinate show ${run.runId}`,
      });
      session.print(`[fix] ${title}`);
      return exitCode;
    },
    (error: unknown) => {
      session.log.error({ err: error, runId: run.runId }, 'fix run failed');
      return -1;
    },
  );
  const waited = await withinBlockingBudget(settled, session.blockingBudgetMs);
  if (waited === 'background') {
    const tracked = settled.then(() => undefined);
    session.background.add(tracked);
    void tracked.finally(() => session.background.delete(tracked));
    return decision(session, request, 'edit', 'background', `run ${run.runId} on ${branch} went on in the background past the ${session.blockingBudgetMs} ms blocking budget`);
  }
  const outcome = waited.value === 0 ? `verified on ${branch} (run ${run.runId})` : `run ${run.runId} ended with exit ${waited.value}`;
  return decision(session, request, 'edit', waited.value === 0 ? 'done' : 'failed', outcome);
}
