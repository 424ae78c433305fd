import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readRun, summarize, type RunSummary } from '../commands/run-store.js';
import { branchCommit, isAncestor } from '../git/index.js';
import { coordinateDir } from '../run/layout.js';
import { commitsBringing, revertOf, revertsIn } from './reverts.js';
import type { WatchSession } from './session.js';
import type { WatcherBranch } from './state.js';

/**
 * Earned autonomy: looks at what became of the watcher's branches and proposals and moves the
 * edit tier's daily budget. A branch the person merged into the default branch, or a proposal
 * they ran to a verified result, adds one action a day; a branch deleted unmerged, merged and then
 * reverted, or a proposal whose plan they deleted without running it, removes one.
 * Cheap when nothing is pending (no git call, no file read); a merged branch costs one look at the
 * default branch's head a tick, and a read of its new commits when it moved.
 */
export async function settleOutcomes(session: WatchSession): Promise<string[]> {
  const { state, repoRoot, ledger } = session;
  const changed: string[] = [];
  const open = state.branches.filter((b) => b.status === 'open' && b.finished && b.tip !== undefined && b.tip !== b.base);
  const merged = state.branches.filter((b) => b.status === 'merged' && b.tip !== undefined);
  const main = open.length > 0 || merged.length > 0 ? await branchCommit(repoRoot, session.defaultBranch) : undefined;
  if (main !== undefined) changed.push(...(await settleReverts(session, merged, main)));
  for (const branch of open) {
    const tip = await branchCommit(repoRoot, branch.branch);
    if (tip === undefined) {
      branch.status = 'rejected';
      ledger.adjust('edit', -1, `${branch.branch} was deleted without being merged`);
    } else if (main !== undefined && (await isAncestor(repoRoot, branch.tip!, main))) {
      branch.status = 'merged';
      branch.revertsCheckedAt = main;
      ledger.adjust('edit', +1, `${branch.branch} was merged into ${session.defaultBranch}`);
    } else continue;
    changed.push(`${branch.branch} ${branch.status}`);
  }
  const proposals = state.proposals.filter((p) => p.status === 'open');
  if (proposals.length > 0) {
    const verified = await verifiedRunsSince(repoRoot, proposals.map((p) => p.id).sort()[0]!, new Set(state.branches.map((b) => b.runId)));
    for (const proposal of proposals) {
      const run = verified.find((r) => r.goal === proposal.goal && r.runId > proposal.id);
      if (!run) {
        // Deleting a proposal is how a person says no, as deleting a watcher's branch is.
        if (await access(proposal.planMd).then(() => true, () => false)) continue;
        proposal.status = 'rejected';
        ledger.adjust('edit', -1, `proposal ${proposal.id} was rejected: its plan was deleted without being run`);
        changed.push(`proposal ${proposal.id} rejected`);
        continue;
      }
      proposal.status = 'verified';
      ledger.adjust('edit', +1, `proposal ${proposal.id} was run to a verified result (run ${run.runId})`);
      changed.push(`proposal ${proposal.id} verified`);
    }
  }
  return changed;
}

/**
 * A merged branch the person reverted on the default branch (`git revert` of one of its commits, or
 * of the merge that took it in) counts against the edit tier like one they rejected. Only the default
 * branch's new commits are read, once per move of its head.
 */
async function settleReverts(session: WatchSession, merged: WatcherBranch[], main: string): Promise<string[]> {
  const changed: string[] = [];
  for (const branch of merged) {
    if (branch.revertsCheckedAt === main) continue;
    const reverts = await revertsIn(session.repoRoot, branch.revertsCheckedAt ? `${branch.revertsCheckedAt}..${main}` : `${branch.tip!}..${main}`);
    branch.revertsCheckedAt = main;
    if (reverts.length === 0) continue;
    const revert = revertOf(reverts, await commitsBringing(session.repoRoot, branch.base ?? `${branch.tip!}~1`, branch.tip!, main));
    if (!revert) continue;
    branch.status = 'reverted';
    session.ledger.adjust('edit', -1, `${branch.branch} was reverted on ${session.defaultBranch} by ${revert.commit.slice(0, 8)} ("${revert.subject.slice(0, 80)}")`);
    changed.push(`${branch.branch} reverted`);
  }
  return changed;
}

/**
 * The person's runs that started after `since` (run ids sort by start time) and ended verified.
 * Only those are read, so an open proposal costs a tick a few reads, not one per run ever made.
 */
async function verifiedRunsSince(repoRoot: string, since: string, own: Set<string>): Promise<RunSummary[]> {
  const names = (await readdir(join(coordinateDir(repoRoot), 'runs')).catch(() => [] as string[])).filter((name) => name > since && !own.has(name));
  const runs: RunSummary[] = [];
  for (const name of names) {
    const run = await readRun(repoRoot, name).catch(() => undefined);
    const summary = run && summarize(run, 0);
    if (summary?.status === 'succeeded') runs.push(summary);
  }
  return runs;
}
