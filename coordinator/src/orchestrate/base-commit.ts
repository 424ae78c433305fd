import { git } from '../git/index.js';
import { runBranch } from '../run/layout.js';
import { MERGE_SUBJECT } from './merge-subject.js';

/** More merges than any plan has tasks: the walk stops long before on a real run branch. */
const MAX_WALK = 2000;

/**
 * The commit a run branch started from, for a resumed run: only coordinate's merges land on the
 * branch, each with the branch as its first parent, so the base is the first commit on the
 * first-parent line that is not one of them.
 */
export async function baseOfRunBranch(repo: string, runId: string): Promise<string | undefined> {
  const { stdout } = await git(['log', '--first-parent', `-n${MAX_WALK}`, '--format=%H%x09%s', `refs/heads/${runBranch(runId)}`, '--'], { cwd: repo });
  for (const line of stdout.split('\n')) {
    const [commit, subject = ''] = line.split('\t');
    if (commit && !subject.startsWith(MERGE_SUBJECT)) return commit;
  }
  return undefined;
}
