import { join } from 'node:path';
import { coordinateDir } from '../run/layout.js';

/** Where the watcher of one repository keeps its files (all under `.coordinate/`, never committed). */
export interface WatchPaths {
  dir: string;
  /** The lock and pidfile in one: `{pid, startedAt}` of the running watcher. */
  pidfile: string;
  /** pino JSON lines. */
  log: string;
  /** What a detached watcher prints (its plain lines), for `coordinate watch log --output`. */
  output: string;
  /** Tick receipts and budget changes: a journal of `watch.*` events. */
  journal: string;
  /** Heads seen, pull-request items seen, the watcher's branches and proposals (JSON). */
  state: string;
  /** Per-day spending and the earned budgets of each tier (JSON). */
  ledger: string;
  /** One folder per proposal, each with a plan.md ready for `coordinate run`. */
  proposals: string;
  /** Detached worktrees where new commits are checked. */
  worktrees: string;
  /** Notices for the person (Markdown). */
  inbox: string;
  /** Entries gathered for the daily digest (Markdown). */
  digest: string;
}

export function watchPaths(repoRoot: string): WatchPaths {
  const base = coordinateDir(repoRoot);
  const dir = join(base, 'watch');
  return {
    dir,
    pidfile: join(dir, 'watch.pid'),
    log: join(dir, 'watch.log'),
    output: join(dir, 'output.log'),
    journal: join(dir, 'journal.jsonl'),
    state: join(dir, 'state.json'),
    ledger: join(dir, 'autonomy.json'),
    proposals: join(dir, 'proposals'),
    worktrees: join(base, 'worktrees', 'watch'),
    inbox: join(base, 'inbox.md'),
    digest: join(dir, 'digest.md'),
  };
}
