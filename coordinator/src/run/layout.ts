import { join } from 'node:path';

/** Where everything of one run lives, inside the person's repository. */
export interface RunPaths {
  root: string;
  coordinateDir: string;
  dir: string;
  planMd: string;
  planJson: string;
  journal: string;
  /** Held while a coordinator drives the run: pid, host, start and heartbeat. */
  lock: string;
  scratchpad: string;
  transcripts: string;
  logs: string;
  reportMd: string;
  reportJson: string;
  reportHtml: string;
  junit: string;
  worktrees: string;
}

export function coordinateDir(repoRoot: string): string {
  return join(repoRoot, '.coordinate');
}

export function runPaths(repoRoot: string, runId: string): RunPaths {
  const base = coordinateDir(repoRoot);
  const dir = join(base, 'runs', runId);
  return {
    root: repoRoot,
    coordinateDir: base,
    dir,
    planMd: join(dir, 'plan.md'),
    planJson: join(dir, 'plan.json'),
    journal: join(dir, 'journal.jsonl'),
    lock: join(dir, 'lock'),
    scratchpad: join(dir, 'scratchpad'),
    transcripts: join(dir, 'transcripts'),
    logs: join(dir, 'logs'),
    reportMd: join(dir, 'report.md'),
    reportJson: join(dir, 'report.json'),
    reportHtml: join(dir, 'report.html'),
    junit: join(dir, 'junit.xml'),
    worktrees: join(base, 'worktrees', runId),
  };
}

export const runBranch = (runId: string) => `coordinate/${runId}`;
/** A sibling of the run branch, not a child: git cannot hold a ref that is both a file and a folder. */
export const taskBranch = (runId: string, taskId: string) => `coordinate/${runId}-${taskId}`;

/** A stacked branch for review (`--stack`): the `index`th merged implementation task, a sibling of the run branch. */
export const stackBranch = (runId: string, index: number, taskId: string) => `coordinate/${runId}-stack-${String(index).padStart(2, '0')}-${taskId}`;
