import { diffStat, git } from '../git/index.js';
import { stackBranch } from '../run/layout.js';
import { taskOfMergeSubject } from './merge-subject.js';
import type { StackEntry } from '../report/index.js';

export interface StackInput {
  repo: string;
  runId: string;
  /** Where the run branch grew from: the first stacked branch is based on it. */
  baseCommit: string;
  /** The run branch's head. */
  head: string;
}

/**
 * One branch per merged implementation task (`--stack`), for one small pull request each: the
 * `n`th holds the run branch's tree after the `n`th task merge and is based on the `n-1`th (the
 * first on the base commit), so each branch's own diff is exactly its task's change. Written as
 * new commits with `commit-tree`; the person's checkout is never touched.
 */
export async function writeStackBranches(input: StackInput): Promise<StackEntry[]> {
  const { repo, runId, baseCommit, head } = input;
  const { stdout } = await git(['log', '--first-parent', '--reverse', '--format=%H%x00%T%x00%s', `${baseCommit}..${head}`], { cwd: repo });
  const stack: StackEntry[] = [];
  let parent = baseCommit;
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const [, tree, subject] = line.split('\0') as [string, string, string];
    const task = taskOfMergeSubject(subject);
    if (!task) continue;
    const message = `${task.title}\n\ncoordinate run ${runId}, task ${task.id} (stacked for review)`;
    const commit = (await git(['commit-tree', '--no-gpg-sign', tree, '-p', parent, '-F', '-'], { cwd: repo, input: message })).stdout.trim();
    const branch = stackBranch(runId, stack.length + 1, task.id);
    await git(['update-ref', '-m', `coordinate: stack ${task.id}`, `refs/heads/${branch}`, commit], { cwd: repo });
    const stat = await diffStat(repo, parent, commit);
    stack.push({
      branch,
      taskId: task.id,
      base: stack.at(-1)?.branch ?? baseCommit,
      diffstat: { files: stat.files.map(({ path, insertions, deletions }) => ({ path, insertions, deletions })), insertions: stat.insertions, deletions: stat.deletions },
    });
    parent = commit;
  }
  return stack;
}
