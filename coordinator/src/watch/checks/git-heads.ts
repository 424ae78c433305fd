import { git } from '../../git/index.js';

/** A watched branch whose head moved since the last tick. */
export interface NewHead {
  branch: string;
  from: string;
  to: string;
}

/**
 * The branches to watch: the configured ones, else the current branch and the default branch
 * (`origin/HEAD`'s target when there is a remote, else `main` or `master`, whichever exists).
 */
export async function watchedBranches(repo: string, configured: readonly string[]): Promise<{ branches: string[]; defaultBranch: string }> {
  const heads = await branchHeads(repo, []);
  const remoteHead = await git(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { cwd: repo, okExitCodes: [0, 1, 128] });
  const fromRemote = remoteHead.exitCode === 0 ? remoteHead.stdout.trim().replace(/^origin\//, '') : undefined;
  const defaultBranch = fromRemote ?? (heads.main ? 'main' : heads.master ? 'master' : 'main');
  if (configured.length > 0) return { branches: [...configured], defaultBranch };
  const current = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo, okExitCodes: [0, 1, 128] });
  const branches = new Set([...(current.exitCode === 0 ? [current.stdout.trim()] : []), defaultBranch]);
  return { branches: [...branches], defaultBranch };
}

/** The commit of each local branch named (every branch when none is named), in one git call. */
export async function branchHeads(repo: string, branches: readonly string[]): Promise<Record<string, string>> {
  const refs = branches.length > 0 ? branches.map((branch) => `refs/heads/${branch}`) : ['refs/heads/'];
  const { stdout } = await git(['for-each-ref', '--format=%(objectname) %(refname:lstrip=2)', ...refs], { cwd: repo });
  const heads: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const [commit, name] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
    if (commit && name) heads[name] = commit;
  }
  return heads;
}

/** Heads that moved against `seen`; a branch seen for the first time only takes stock (its history is not news). */
export function movedHeads(current: Record<string, string>, seen: Record<string, string>): NewHead[] {
  return Object.entries(current).flatMap(([branch, to]) => {
    const from = seen[branch];
    return from !== undefined && from !== to ? [{ branch, from, to }] : [];
  });
}
