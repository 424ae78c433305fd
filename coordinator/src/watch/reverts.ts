import { git } from '../git/index.js';

/** The line `git revert` writes into a revert's message, naming the commit it undoes. */
const REVERTS_LINE = /^This reverts commit ([0-9a-f]{7,40})\b/gm;

export interface Revert {
  /** The revert commit on the default branch. */
  commit: string;
  subject: string;
  /** The commit it undoes, as its message names it (a full id from `git revert`). */
  undoes: string;
}

/** The commits in `range` (e.g. `a..b`) made by `git revert`, oldest first. */
export async function revertsIn(repo: string, range: string): Promise<Revert[]> {
  const { stdout } = await git(['log', '--reverse', '--format=%H%x00%s%x00%B%x1e', range], { cwd: repo });
  return stdout.split('\x1e').flatMap((record): Revert[] => {
    const [commit, subject, body] = record.replace(/^\n/, '').split('\0');
    if (!commit || body === undefined) return [];
    return [...body.matchAll(REVERTS_LINE)].map((match) => ({ commit, subject: subject ?? '', undoes: match[1]! }));
  });
}

/**
 * Every commit that brought a watcher branch's work into the default branch: the branch's own
 * (`base..tip`), and merges on the default branch that took in its tip. Reverting any of them undoes it.
 */
export async function commitsBringing(repo: string, base: string, tip: string, defaultHead: string): Promise<Set<string>> {
  const own = (await git(['rev-list', `${base}..${tip}`], { cwd: repo })).stdout.split('\n').filter(Boolean);
  const merges = (await git(['rev-list', '--merges', '--parents', `${base}..${defaultHead}`], { cwd: repo })).stdout
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([, ...parents]) => parents.includes(tip))
    .map(([merge]) => merge!);
  return new Set([...own, ...merges]);
}

/** The first revert that undoes one of `commits` (matched by the id prefix its message gives). */
export const revertOf = (reverts: readonly Revert[], commits: ReadonlySet<string>): Revert | undefined =>
  reverts.find((revert) => [...commits].some((commit) => commit.startsWith(revert.undoes)));
