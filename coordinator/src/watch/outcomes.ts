import { branchCommit, isAncestor } from '../git/index.js';
import { listRuns } from '../commands/run-store.js';
import type { WatchSession } from './session.js';

/**
 * Earned autonomy: looks at what became of the watcher's branches and proposals and moves the
 * edit tier's daily budget. A branch the person merged into the default branch, or a proposal
 * they ran to a verified result, adds one action a day; a branch deleted unmerged removes one.
 * Cheap when nothing is pending (no git call, no file read).
 */
export async function settleOutcomes(session: WatchSession): Promise<string[]> {
  const { state, repoRoot, ledger } = session;
  const changed: string[] = [];
  const open = state.branches.filter((b) => b.status === 'open' && b.finished && b.tip !== undefined && b.tip !== b.base);
  if (open.length > 0) {
    const main = await branchCommit(repoRoot, session.defaultBranch);
    for (const branch of open) {
      const tip = await branchCommit(repoRoot, branch.branch);
      if (tip === undefined) {
        branch.status = 'rejected';
        ledger.adjust('edit', -1, `${branch.branch} was deleted without being merged`);
      } else if (main !== undefined && (await isAncestor(repoRoot, branch.tip!, main))) {
        branch.status = 'merged';
        ledger.adjust('edit', +1, `${branch.branch} was merged into ${session.defaultBranch}`);
      } else continue;
      changed.push(`${branch.branch} ${branch.status}`);
    }
  }
  const proposals = state.proposals.filter((p) => p.status === 'open');
  if (proposals.length > 0) {
    const own = new Set(state.branches.map((b) => b.runId));
    const verified = (await listRuns(repoRoot)).filter((run) => run.status === 'succeeded' && !own.has(run.runId));
    for (const proposal of proposals) {
      const run = verified.find((r) => r.goal === proposal.goal && r.runId > proposal.id);
      if (!run) continue;
      proposal.status = 'verified';
      ledger.adjust('edit', +1, `proposal ${proposal.id} was run to a verified result (run ${run.runId})`);
      changed.push(`proposal ${proposal.id} verified`);
    }
  }
  return changed;
}
