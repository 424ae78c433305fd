import { resolve } from 'node:path';
import { EmptyRepositoryError, GitNotFoundError, GitVersionError, NotAGitRepositoryError } from './errors.js';
import { git, nulFields } from './exec.js';
import { MIN_GIT_VERSION, isGitVersionAtLeast, parseGitVersion } from './git-version.js';
import { OUTSIDE_COORDINATE_DIR } from './pathspec.js';
import { resolveCommit } from './refs.js';

export interface RepoInfo {
  /** The directory that was inspected, absolute. */
  dir: string;
  isGit: boolean;
  /** The top of the working tree. */
  root?: string;
  /** Undefined in a repository with no commit yet. */
  headCommit?: string;
  /** Undefined when HEAD is detached. */
  currentBranch?: string;
  /** Uncommitted changes or untracked files outside `.coordinate/`. */
  dirty?: boolean;
  /** Undefined when git is not installed. */
  gitVersion?: string;
}

/** What coordinate needs to know about a directory before planning; never changes anything. */
export async function inspectRepo(dir: string): Promise<RepoInfo> {
  const absolute = resolve(dir);
  let gitVersion: string | undefined;
  try {
    gitVersion = parseGitVersion((await git(['--version'], { cwd: absolute })).stdout);
  } catch (error) {
    if (error instanceof GitNotFoundError) return { dir: absolute, isGit: false };
    throw error;
  }
  const inside = await git(['rev-parse', '--is-inside-work-tree'], { cwd: absolute, okExitCodes: [0, 128] });
  if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') return { dir: absolute, isGit: false, gitVersion };

  const root = (await git(['rev-parse', '--show-toplevel'], { cwd: absolute })).stdout.trim();
  const headCommit = await resolveCommit(root, 'HEAD');
  const branch = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root, okExitCodes: [0, 1] });
  return {
    dir: absolute,
    isGit: true,
    root,
    headCommit,
    currentBranch: branch.exitCode === 0 ? branch.stdout.trim() : undefined,
    dirty: (await uncommittedFiles(root)).length > 0,
    gitVersion,
  };
}

/** Paths with staged, unstaged or untracked changes, `.coordinate/` aside. */
export async function uncommittedFiles(root: string): Promise<string[]> {
  const { stdout } = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...OUTSIDE_COORDINATE_DIR], { cwd: root });
  const entries = nulFields(stdout);
  const files: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    files.push(entry.slice(3));
    // A rename or copy is followed by its source path as a separate field.
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return files;
}

/** The checked repository, for code that makes changes; research-only runs skip this. */
export interface GitRepo extends RepoInfo {
  isGit: true;
  root: string;
  headCommit: string;
  gitVersion: string;
}

/** Refuses implementation where git cannot hold the changes: no git, an old git, no repository, no commit. */
export function requireGitForImplementation(info: RepoInfo): GitRepo {
  if (info.gitVersion === undefined) throw new GitNotFoundError();
  if (!isGitVersionAtLeast(info.gitVersion, MIN_GIT_VERSION)) throw new GitVersionError(info.gitVersion, MIN_GIT_VERSION);
  if (!info.isGit || info.root === undefined) throw new NotAGitRepositoryError(info.dir);
  if (info.headCommit === undefined) throw new EmptyRepositoryError(info.root);
  return { ...info, isGit: true, root: info.root, headCommit: info.headCommit, gitVersion: info.gitVersion };
}
