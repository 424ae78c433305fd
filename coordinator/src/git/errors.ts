import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('not_a_git_repo', z.unknown(), { retryable: false, exit: 'usage' });
defineError('empty_repository', z.unknown(), { retryable: false, exit: 'usage' });
defineError('git_not_found', z.unknown(), { retryable: false, exit: 'usage' });
defineError('git_too_old', z.unknown(), { retryable: false, exit: 'usage' });
defineError('dirty_working_tree', z.unknown(), { retryable: false, exit: 'usage' });

/** A git command ended with an exit code its caller did not expect. */
export class GitError extends CoordinateError {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
    cwd: string,
  ) {
    const detail = stderr.trim().split('\n').slice(0, 5).join('\n') || 'no error output';
    const how = exitCode === undefined ? 'could not run' : `failed (exit ${exitCode})`;
    super('git_failed', `git ${args.join(' ')} ${how} in ${cwd}: ${detail}`, { args: [...args], exitCode, stderr: stderr.slice(0, 4000), cwd });
  }
}

/** The git program itself is missing from PATH. */
export class GitNotFoundError extends CoordinateError {
  constructor() {
    super('git_not_found', 'git is not installed or not on PATH; install git 2.38 or later to let coordinate make changes');
  }
}

/** The installed git lacks `merge-tree --write-tree`, which merging without a checkout needs. */
export class GitVersionError extends CoordinateError {
  constructor(found: string, needed: string) {
    super('git_too_old', `git ${found} is too old: coordinate needs git ${needed} or later (for "git merge-tree --write-tree"); upgrade git`, { found, needed });
  }
}

/** Implementation was asked for in a directory git does not manage (research-only runs still work). */
export class NotAGitRepositoryError extends CoordinateError {
  constructor(dir: string) {
    super(
      'not_a_git_repo',
      `${dir} is not inside a git repository, so coordinate cannot make changes there: implementation tasks work on git branches. ` +
        'Run "git init" and commit your files first, or keep to a research-only plan.',
      { dir },
    );
  }
}

/** A repository with no commit yet has no base for the run branch. */
export class EmptyRepositoryError extends CoordinateError {
  constructor(root: string) {
    super('empty_repository', `the git repository at ${root} has no commits yet; commit your files once, then run coordinate again`, { root });
  }
}

/** `--apply` found uncommitted work it could otherwise mix with the run's changes. */
export class DirtyWorkingTreeError extends CoordinateError {
  constructor(root: string, files: string[]) {
    const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? `, and ${files.length - 10} more` : '');
    super(
      'dirty_working_tree',
      `your working tree at ${root} has uncommitted changes (${shown}); commit or stash them ("git stash --include-untracked") first, then apply again`,
      { root, files },
    );
  }
}

/** `--apply` would conflict with the person's branch; nothing was changed. */
export class ApplyConflictError extends CoordinateError {
  constructor(branch: string, files: string[]) {
    super(
      'apply_conflict',
      `the run branch ${branch} conflicts with your current branch in ${files.join(', ')}; nothing was changed. Merge it yourself with "git merge ${branch}" and resolve the conflicts`,
      { branch, files },
    );
  }
}

/** A branch or commit coordinate needs is not there (a run that never started, a task branch already removed). */
export class UnknownRefError extends CoordinateError {
  constructor(ref: string, repo: string) {
    super('unknown_ref', `"${ref}" names no commit in the repository at ${repo}`, { ref, repo });
  }
}

/** The run branch moved while a merge was being recorded; the merge was not written. */
export class RunBranchMovedError extends CoordinateError {
  constructor(branch: string, expected: string) {
    super('run_branch_moved', `the branch ${branch} changed while coordinate was merging into it (expected ${expected}); the merge was not recorded`, {
      branch,
      expected,
    });
  }
}

/** A folder that is not a coordinate worktree sits where one must go; coordinate will not delete it. */
export class WorktreePathTakenError extends CoordinateError {
  constructor(path: string) {
    super('worktree_path_taken', `${path} already exists and is not a coordinate worktree; move it away and try again`, { path });
  }
}
