import { lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runBranch, taskBranch } from '../run/layout.js';
import { UnknownRefError, WorktreePathTakenError } from './errors.js';
import { git } from './exec.js';
import { OUTSIDE_COORDINATE_DIR } from './pathspec.js';
import { branchCommit, isAncestor, resolveCommit } from './refs.js';
import { keepOutwardLinks } from './outward-links.js';
import { checkOutSubmodules, commonGitDir } from './submodules.js';
import { findWorktreeAt, type WorktreeEntry } from './worktree-list.js';

export interface TaskWorktreeOptions {
  repo: string;
  runId: string;
  taskId: string;
  /** The run's worktree folder (`runPaths(...).worktrees`); each task gets `<worktreesDir>/<taskId>`. */
  worktreesDir: string;
}

export interface TaskWorktree {
  path: string;
  branch: string;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Puts the worktree back to its HEAD: a new attempt must not inherit a dead attempt's half-done edits. */
async function discardUncommitted(path: string): Promise<void> {
  await git(['reset', '--hard', '--quiet'], { cwd: path });
  await git(['clean', '-d', '--force', '--quiet'], { cwd: path });
}

/**
 * Moves a task branch that holds no work of its own (its tip is already in `baseRef`) up to
 * `baseRef`, so a new attempt starts from what has been merged since the last one (the work of a
 * task it waited for, for one). A branch with kept work stays where it is. `cwd` is the branch's
 * worktree when it is checked out (its files move with it), else the repository.
 */
async function advanceIdleBranch(repo: string, cwd: string, branch: string, baseRef: string): Promise<void> {
  const [tip, base] = await Promise.all([branchCommit(repo, branch), resolveCommit(repo, baseRef)]);
  if (tip === undefined || base === undefined || tip === base || !(await isAncestor(repo, tip, base))) return;
  if (cwd === repo) await git(['update-ref', `refs/heads/${branch}`, base, tip], { cwd: repo });
  else await git(['reset', '--hard', '--quiet', base], { cwd });
}

/**
 * A folder git no longer lists as a worktree is deleted only when it still looks like one (a `.git`
 * file) or is empty: a wrong `worktreesDir` must never cost the person a folder of their own.
 */
async function isWorktreeLeftover(path: string): Promise<boolean> {
  const dotGit = await lstat(join(path, '.git')).catch(() => undefined);
  if (dotGit?.isFile()) return true;
  return (await readdir(path).catch(() => ['?'])).length === 0;
}

/** Frees `path` for a new worktree. */
async function clearPath(repo: string, path: string, entry: WorktreeEntry | undefined): Promise<void> {
  if (entry) {
    const removed = await git(['worktree', 'remove', '--force', '--force', entry.path], { cwd: repo, okExitCodes: [0, 128] });
    // git will not remove a worktree that holds checked-out submodules: delete the folder, then let git forget it.
    if (removed.exitCode !== 0) {
      await rm(entry.path, { recursive: true, force: true });
      await git(['worktree', 'prune'], { cwd: repo });
    }
  } else if (await exists(path)) {
    if (!(await isWorktreeLeftover(path))) throw new WorktreePathTakenError(path);
    await rm(path, { recursive: true, force: true });
  }
  await mkdir(dirname(path), { recursive: true });
}

/**
 * What a fresh checkout still needs: outward links re-pointed and submodules checked out. The
 * shared git directory is asked for only when there are submodules (one git process less per task).
 */
async function finishCheckout(repo: string, path: string): Promise<void> {
  await keepOutwardLinks(repo, path);
  if (await exists(join(path, '.gitmodules'))) await checkOutSubmodules(path, await commonGitDir(repo));
}

/**
 * The quick way to a new worktree when nothing is at `path` yet (a new task, such as a fix added
 * while the run runs): one `git worktree add`. Returns false, having changed nothing, when git
 * refuses it (the branch exists, a stale registration holds the path, the base is unknown): the
 * careful way then sorts that out.
 */
async function addFresh(repo: string, path: string, args: string[]): Promise<boolean> {
  if (await exists(path)) return false;
  await mkdir(dirname(path), { recursive: true });
  // git dies with 128, or 255 where a subcommand returns -1 (an existing branch, in git 2.39).
  const added = await git(['worktree', 'add', '--quiet', ...args], { cwd: repo, okExitCodes: [0, 128, 255] });
  return added.exitCode === 0;
}

/**
 * A worktree made ahead of need (`SpareWorktrees`), detached at `commit`: a task that needs a new
 * worktree renames it into place and switches it to its own checkout (one quick git call) instead
 * of waiting for `git worktree add` (two git processes of its own, and every file written). It is
 * locked, so that no `git worktree prune` forgets it between its rename and git being told of it.
 */
export interface SpareCheckout {
  path: string;
  commit: string;
  /** No outward link was re-pointed and there are no submodules: at the same commit, nothing is left to finish. */
  finished: boolean;
}

/** A worktree that came from a spare: git still has to be told where it went, by calling `register` (once; it is locked until then). */
export interface FromSpare {
  register?: () => Promise<void>;
}

/**
 * Makes a spare at `path` (cleared first if an earlier process left one there). Its submodules are
 * not checked out: they would be in the way of the task's own checkout, which does that.
 */
export async function createSpareWorktree(repo: string, path: string, commit: string): Promise<SpareCheckout> {
  const args = ['--lock', '--detach', path, commit];
  if (!(await addFresh(repo, path, args))) {
    await clearPath(repo, path, await findWorktreeAt(repo, path));
    await git(['worktree', 'add', '--quiet', ...args], { cwd: repo });
  }
  const repointed = await keepOutwardLinks(repo, path);
  return { path, commit, finished: repointed.length === 0 && !(await exists(join(path, '.gitmodules'))) };
}

/** Removes a spare nobody took. */
export async function removeSpareWorktree(repo: string, spare: SpareCheckout): Promise<void> {
  await clearPath(repo, spare.path, await findWorktreeAt(repo, spare.path));
}

/** Renames a spare to `path`; false (and the spare removed) when something is at `path` already or the rename failed. */
async function moveSpare(repo: string, spare: SpareCheckout, path: string): Promise<boolean> {
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true });
    if (await rename(spare.path, path).then(() => true, () => false)) return true;
  }
  await removeSpareWorktree(repo, spare).catch(() => undefined);
  return false;
}

/** Tells git where a renamed spare went (its records still name the spare's folder) and unlocks it. */
async function registerMovedSpare(repo: string, path: string): Promise<void> {
  await git(['worktree', 'repair', path], { cwd: repo });
  await git(['worktree', 'unlock', path], { cwd: repo });
}

/**
 * Switches a spare renamed to `path` to what its task needs, at `base` (the commit the task starts
 * from, which git reads meanwhile): `checkoutArgs` switch it at the spare's own commit, so that the
 * two git processes overlap, and in the rare case the base has moved on since the spare was made,
 * the worktree follows it (`reset --hard`). git is told of the rename later (`register`), off the
 * task's way. Undefined when the base is unknown or git refused the switch (taken back with `undo`):
 * git is then told first, and the careful way finds the spare at `path` and clears it.
 */
async function switchSpare(options: {
  repo: string;
  spare: SpareCheckout;
  path: string;
  base: Promise<string | undefined>;
  checkoutArgs: string[];
  undo: string[][];
}): Promise<(FromSpare & { commit: string }) | undefined> {
  const { repo, spare, path, checkoutArgs } = options;
  const checkout = checkoutArgs.length === 0 ? { exitCode: 0 } : git(['checkout', '--quiet', ...checkoutArgs], { cwd: path, okExitCodes: [0, 128] });
  const [switched, commit] = await Promise.all([checkout, options.base]);
  if (switched.exitCode !== 0 || commit === undefined) {
    if (switched.exitCode === 0) for (const args of options.undo) await git(args, { cwd: path });
    await registerMovedSpare(repo, path);
    return undefined;
  }
  if (commit !== spare.commit) await git(['reset', '--hard', '--quiet', commit], { cwd: path });
  if (commit !== spare.commit || !spare.finished) await finishCheckout(repo, path);
  return { commit, register: () => registerMovedSpare(repo, path) };
}

/** Claims a spare for `path` while `base` is read; false when the spare could not be moved there. */
async function claimSpare(repo: string, spare: SpareCheckout, path: string, base: Promise<string | undefined>): Promise<boolean> {
  // Read even when the claim fails, so that a failed read is never left unhandled.
  const [moved] = await Promise.all([moveSpare(repo, spare, path), base.catch(() => undefined)]);
  return moved;
}

/**
 * The worktree where one implementation task edits, on branch `coordinate/<runId>-<taskId>` from
 * `baseRef`. For a resumed or retried task it reuses the branch (keeping its commits, or moved up to
 * `baseRef` when it has none) and starts from a clean tree. `baseCommit`, when the caller knows the
 * commit `baseRef` names, spares a spare's switch the git process that would read it.
 */
export async function createTaskWorktree(
  options: TaskWorktreeOptions & { baseRef: string; spare?: SpareCheckout; baseCommit?: string },
): Promise<TaskWorktree & FromSpare> {
  const { repo, runId, taskId, worktreesDir, baseRef, spare } = options;
  const branch = taskBranch(runId, taskId);
  const path = join(worktreesDir, taskId);
  if (spare) {
    const base = options.baseCommit === undefined ? resolveCommit(repo, baseRef) : Promise.resolve(options.baseCommit);
    // A branch that exists already (a resumed task's) makes `checkout -b` refuse: the careful way below takes over.
    const switched = (await claimSpare(repo, spare, path, base))
      ? await switchSpare({ repo, spare, path, base, checkoutArgs: ['-b', branch, spare.commit], undo: [['checkout', '--quiet', '--detach'], ['branch', '--quiet', '-D', branch]] })
      : undefined;
    if (switched) return { path, branch, register: switched.register };
  }
  if (await addFresh(repo, path, ['-b', branch, path, `${baseRef}^{commit}`])) {
    await finishCheckout(repo, path);
    return { path, branch };
  }
  const entry = await findWorktreeAt(repo, path);
  if (entry?.branch === `refs/heads/${branch}`) {
    await discardUncommitted(path);
    await advanceIdleBranch(repo, path, branch, baseRef);
    await finishCheckout(repo, path);
    return { path, branch };
  }
  await clearPath(repo, path, entry);
  if ((await branchCommit(repo, branch)) !== undefined) {
    await advanceIdleBranch(repo, repo, branch, baseRef);
    await git(['worktree', 'add', '--quiet', path, branch], { cwd: repo });
  } else {
    const base = await resolveCommit(repo, baseRef);
    if (base === undefined) throw new UnknownRefError(baseRef, repo);
    await git(['worktree', 'add', '--quiet', '-b', branch, path, base], { cwd: repo });
  }
  await finishCheckout(repo, path);
  return { path, branch };
}

/**
 * Commits everything the task changed, new files included, but never `.coordinate/`. Returns the
 * new commit, or undefined when there was nothing to commit. The project's commit hooks do not run:
 * verification tasks are where its checks run.
 */
export async function commitTaskWork(options: { path: string; message: string }): Promise<string | undefined> {
  const { path, message } = options;
  await git(['add', '--all', '--', ...OUTSIDE_COORDINATE_DIR], { cwd: path });
  const staged = await git(['diff', '--cached', '--quiet'], { cwd: path, okExitCodes: [0, 1] });
  if (staged.exitCode === 0) return undefined;
  await git(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--file=-'], { cwd: path, input: message });
  return (await git(['rev-parse', 'HEAD'], { cwd: path })).stdout.trim();
}

export interface RemovedWorktree {
  worktreeRemoved: boolean;
  /** True only when the task branch was already merged into the run branch: unmerged work is never deleted. */
  branchDeleted: boolean;
}

/** Removes a task's (or a verification's) worktree, and its branch once the run branch holds its commits. */
export async function removeTaskWorktree(options: TaskWorktreeOptions): Promise<RemovedWorktree> {
  const { repo, runId, taskId, worktreesDir } = options;
  const path = join(worktreesDir, taskId);
  const entry = await findWorktreeAt(repo, path);
  const worktreeRemoved = entry !== undefined || (await exists(path));
  await clearPath(repo, path, entry);

  const branch = taskBranch(runId, taskId);
  const tip = await branchCommit(repo, branch);
  const run = await branchCommit(repo, runBranch(runId));
  if (tip === undefined || run === undefined || !(await isAncestor(repo, tip, run))) return { worktreeRemoved, branchDeleted: false };
  await git(['update-ref', '-m', `coordinate: ${taskId} merged`, '-d', `refs/heads/${branch}`, tip], { cwd: repo });
  return { worktreeRemoved, branchDeleted: true };
}

export interface RunWorktree {
  path: string;
  /** The run branch's commit the worktree shows. */
  commit: string;
}

/**
 * A worktree detached at the run branch's current commit, where a verification task runs the
 * project's commands. Called again for the same task, it moves to the newest commit and drops leftovers.
 */
export async function createRunWorktree(options: TaskWorktreeOptions & { spare?: SpareCheckout }): Promise<RunWorktree & FromSpare> {
  const { repo, runId, taskId, worktreesDir, spare } = options;
  const branch = runBranch(runId);
  const path = join(worktreesDir, taskId);
  if (spare) {
    const base = branchCommit(repo, branch);
    // A spare is detached at its commit already: only a run branch that moved on since needs a switch.
    const switched = (await claimSpare(repo, spare, path, base)) ? await switchSpare({ repo, spare, path, base, checkoutArgs: [], undo: [] }) : undefined;
    if (switched) return { path, commit: switched.commit, register: switched.register };
  }
  const commit = await branchCommit(repo, branch);
  if (commit === undefined) throw new UnknownRefError(branch, repo);
  if (await addFresh(repo, path, ['--detach', path, commit])) {
    await finishCheckout(repo, path);
    return { path, commit };
  }
  const entry = await findWorktreeAt(repo, path);
  if (entry && entry.branch === undefined) {
    await git(['checkout', '--quiet', '--force', '--detach', commit], { cwd: path });
    await discardUncommitted(path);
    await finishCheckout(repo, path);
    return { path, commit };
  }
  await clearPath(repo, path, entry);
  await git(['worktree', 'add', '--quiet', '--detach', path, commit], { cwd: repo });
  await finishCheckout(repo, path);
  return { path, commit };
}
