import type { ConflictedFile, MergeConflictContext } from '@coordinate/protocol';
import { clipMiddle } from '@coordinate/tools';
import { git } from '../git/index.js';
import { taskOfMergeSubject } from './merge-subject.js';

/** Each diff in the retry's prompt is cut to this many characters (its start and end kept). */
const MAX_PATCH_CHARS = 12_000;

export interface ConflictFacts {
  repo: string;
  attempt: number;
  conflicts: ConflictedFile[];
  /** Where the task's attempt started from the run branch (their merge base). */
  fork: string;
  /** The tip of the attempt's work, kept at `keptAt`. */
  taskTip: string;
  runHead: string;
  keptAt: string;
}

/**
 * Everything the next attempt needs to resolve a conflict with its context: which tasks' merged work
 * it met (the run branch's merge commits since the fork that touched the conflicted files), its own
 * earlier change, and what the run branch changed in those files meanwhile.
 */
export async function describeConflict(facts: ConflictFacts): Promise<MergeConflictContext> {
  const { repo, fork, taskTip, runHead, conflicts } = facts;
  const paths = conflicts.map((conflict) => conflict.path);
  const diff = async (from: string, to: string, only: string[]) =>
    clipMiddle((await git(['diff', '--no-color', '--no-ext-diff', from, to, '--', ...only], { cwd: repo })).stdout, MAX_PATCH_CHARS);
  return {
    attempt: facts.attempt,
    files: conflicts,
    metTasks: await mergedTasksTouching(repo, fork, runHead, paths),
    keptAt: facts.keptAt,
    ownPatch: await diff(fork, taskTip, []),
    runBranchChange: await diff(fork, runHead, paths),
  };
}

/** The tasks whose merges into the run branch (after `fork`) changed any of `paths`, oldest first. */
async function mergedTasksTouching(repo: string, fork: string, runHead: string, paths: string[]): Promise<MergeConflictContext['metTasks']> {
  const { stdout } = await git(['log', '--first-parent', '--diff-merges=first-parent', '--reverse', '--format=%s', `${fork}..${runHead}`, '--', ...paths], { cwd: repo });
  const met = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const task = taskOfMergeSubject(line);
    if (task && !met.has(task.id)) met.set(task.id, task.title.slice(0, 200));
  }
  return [...met].map(([id, title]) => ({ id, title }));
}
