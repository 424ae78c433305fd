import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { MergeCheckFailure, MergeConflictContext, TaskResultBody, TaskSpec } from '@coordinate/protocol';
import { serialized } from '@coordinate/tools';
import {
  branchCommit,
  changedFiles,
  commitTaskWork,
  createRunWorktree,
  createTaskWorktree,
  git,
  mergeIntoRunBranch,
  removeTaskWorktree,
} from '../git/index.js';
import { SpareWorktrees } from '../git/spare-worktrees.js';
import type { FromSpare } from '../git/worktree.js';
import { findWorktreeAt } from '../git/worktree-list.js';
import { runBranch, taskBranch } from '../run/layout.js';
import { describeConflict } from './conflict-context.js';
import { MergeCheckFailedError, MergeConflictError } from './errors.js';
import type { MergeCheck } from './merge-check.js';
import { mergeSubject } from './merge-subject.js';

export interface WorkspaceOptions {
  repo: string;
  runId: string;
  worktreesDir: string;
  /** A resumed run's resolution tasks with the conflict each resolves, from its journal (`resolutionContextsOf`). */
  resolutions?: ReadonlyMap<string, MergeConflictContext>;
  /** `commands.check` after every merge; a failure takes the merge back and reopens the task. */
  check?: MergeCheck;
}

/**
 * How long the git work a task does not wait for (telling git of a renamed spare, making the next
 * spare) waits itself: forking git holds up this process's event loop, and handing the task to its
 * worker comes first.
 */
const BACKGROUND_DELAY_MS = 250;

/** Where a kept conflicting attempt lives: a sibling of the task branch, kept until the run has ended (`coordinate clean` removes it). */
export const conflictRef = (runId: string, taskId: string, attempt: number) => `${taskBranch(runId, taskId)}-conflict${attempt}`;

/**
 * The git side of tasks: implementation in its own worktree branched from the run branch as it is
 * now (so it sees merged dependency work), verification in a fresh worktree of the run branch, and
 * merging finished work back without ever touching the person's checkout.
 */
export class TaskWorkspaces {
  /** Resolution tasks, with the conflict each is told of (every attempt of it). */
  readonly #resolutions: Map<string, MergeConflictContext>;
  /** Tasks whose last merge broke the run branch's check, with what the next attempt (continuing its work) is told. */
  readonly #checkFailed = new Map<string, MergeCheckFailure>();

  /** A worktree made ahead, so a task added while the run runs starts without a whole checkout. */
  readonly #spares: SpareWorktrees;
  /** Worktrees that came from a spare, until git has been told where they are. */
  readonly #registering = new Map<string, () => Promise<void>>();
  /**
   * The run branch's head as `land` left it, which alone moves the run branch while the run runs:
   * a task started from a spare then needs no git process to learn its base. Undefined while a
   * merge is under way and after one that did not settle as merged (git is asked instead).
   */
  #runHead: string | undefined;

  constructor(private readonly options: WorkspaceOptions) {
    this.#resolutions = new Map(options.resolutions ?? []);
    const { repo, runId } = options;
    this.#spares = new SpareWorktrees({ repo, dir: options.worktreesDir, commit: () => branchCommit(repo, runBranch(runId)) });
  }

  /** Registers a resolution task added to the graph and the conflict its prompt will hold. */
  expectResolution(taskId: string, conflict: MergeConflictContext): void {
    this.#resolutions.set(taskId, conflict);
  }

  pathOf(taskId: string): string {
    return join(this.options.worktreesDir, taskId);
  }

  /**
   * The directory the task works in and, after a merge conflict, what the attempt is told about it.
   * A new worktree starts from the spare when one is ready, and the next spare is made while the task runs.
   */
  async prepare(task: TaskSpec): Promise<{ root: string; conflict?: MergeConflictContext; checkFailure?: MergeCheckFailure }> {
    const { repo, runId, worktreesDir } = this.options;
    if (task.role === 'research') return { root: repo };
    // A task that has its worktree already (a retry, a resume) leaves the spare for the next.
    const spare = (await access(this.pathOf(task.id)).then(() => true, () => false)) ? undefined : this.#spares.take();
    const where = { repo, runId, taskId: task.id, worktreesDir, ...(spare ? { spare } : {}) };
    try {
      if (task.role === 'verify') return { root: this.#track(task.id, await createRunWorktree(where)) };
      const conflict = this.#resolutions.get(task.id);
      const baseCommit = this.#runHead;
      const root = this.#track(task.id, await createTaskWorktree({ ...where, baseRef: runBranch(runId), ...(baseCommit ? { baseCommit } : {}) }));
      const checkFailure = this.#checkFailed.get(task.id);
      this.#checkFailed.delete(task.id);
      return { root, ...(conflict ? { conflict } : {}), ...(checkFailure ? { checkFailure } : {}) };
    } finally {
      setTimeout(() => this.#spares.fill(), BACKGROUND_DELAY_MS).unref();
    }
  }

  /** Tells git of a worktree that came from a spare a moment later, or as soon as something needs it; returns its path. */
  #track(taskId: string, worktree: { path: string } & FromSpare): string {
    const { register } = worktree;
    if (register) {
      let started: Promise<void> | undefined;
      const start = () => (started ??= register().catch(() => undefined));
      this.#registering.set(taskId, start);
      setTimeout(() => void start(), BACKGROUND_DELAY_MS).unref();
    }
    return worktree.path;
  }

  /** Waits until git knows the task's worktree where it is: what follows asks git about it. */
  async #registered(taskId: string): Promise<void> {
    await this.#registering.get(taskId)?.();
    this.#registering.delete(taskId);
  }

  /**
   * Commits a succeeded implementation and merges it into the run branch; `merged` names the run
   * branch's new head (absent when the task changed nothing). A conflict turns the result into a
   * failure naming the files, their kinds and the tasks whose work it met; the work stays on its
   * branch and on a `-conflict<N>` ref, and the resolution task that takes it over is told all of it.
   */
  async land(task: TaskSpec, result: TaskResultBody, attempt: number): Promise<{ result: TaskResultBody; merged?: { runHead: string; changedFiles: string[] } }> {
    if (result.outcome !== 'succeeded') return { result };
    await this.#registered(task.id);
    const { repo, runId } = this.options;
    const path = this.pathOf(task.id);
    const branch = taskBranch(runId, task.id);
    await commitTaskWork({ path, message: `${task.title}\n\n${result.summary}\n\ncoordinate run ${runId}, task ${task.id}`.slice(0, 20_000) });
    const fork = (await git(['merge-base', branch, runBranch(runId)], { cwd: repo })).stdout.trim();
    const files = await changedFiles(path, fork);
    // Merges and their checks take turns, so a failed check takes back only its own merge.
    const checked = await serialized(`${repo}\0${runId}\0land`, async () => {
      this.#runHead = undefined;
      const outcome = await mergeIntoRunBranch({ repo, runId, taskBranch: branch, message: mergeSubject(task) });
      const failure = outcome.status === 'merged' && this.options.check ? await this.#checkMerge(outcome.commit, attempt) : undefined;
      if (outcome.status === 'merged' && !failure) this.#runHead = outcome.commit;
      return { outcome, failure };
    });
    const merged = checked.outcome;
    if (checked.failure) {
      this.#checkFailed.set(task.id, checked.failure);
      return { result: { ...result, outcome: 'failed', changedFiles: files, error: new MergeCheckFailedError(task.id, checked.failure).toData() } };
    }
    if (merged.status === 'merged') return { result: { ...result, changedFiles: files }, merged: { runHead: merged.commit, changedFiles: files } };
    if (merged.status === 'empty') return { result: { ...result, changedFiles: files } };
    const kept = conflictRef(runId, task.id, attempt);
    const tip = (await branchCommit(repo, branch))!;
    await git(['update-ref', '-m', `coordinate: ${task.id} conflicted`, `refs/heads/${kept}`, tip], { cwd: repo });
    const runHead = (await branchCommit(repo, runBranch(runId)))!;
    const conflict = await describeConflict({ repo, attempt, conflicts: merged.conflicts, fork, taskTip: tip, runHead, keptAt: kept });
    const error = new MergeConflictError(task.id, conflict);
    return { result: { ...result, outcome: 'failed', changedFiles: files, error: error.toData() } };
  }

  /**
   * Commits what an implementation stopped mid-way (a budget, an outage, a person) had changed, so
   * its branch holds the work and the resumed attempt, which reuses the branch, continues from it.
   * Returns the commit, or undefined when there was nothing to keep.
   */
  async keep(task: TaskSpec, why: string): Promise<string | undefined> {
    if (task.role !== 'implement') return undefined;
    await this.#registered(task.id);
    const path = this.pathOf(task.id);
    if ((await findWorktreeAt(this.options.repo, path)) === undefined) return undefined;
    return commitTaskWork({ path, message: `${task.title} (work in progress)\n\nKept when the run stopped: ${why}\n\ncoordinate run ${this.options.runId}, task ${task.id}` });
  }

  /** Removes the spare worktree and makes no more: the run's tasks are over. */
  async closeSpares(): Promise<void> {
    await this.#spares.close();
  }

  /** Removes a task's worktree (and its branch once merged); unmerged branches are never deleted. */
  async remove(taskId: string): Promise<void> {
    await this.#registered(taskId);
    const { repo, runId, worktreesDir } = this.options;
    await removeTaskWorktree({ repo, runId, taskId, worktreesDir });
  }

  /** Runs the check on a fresh merge; on failure moves the run branch back to before it (only if nothing moved it since). */
  async #checkMerge(commit: string, attempt: number): Promise<MergeCheckFailure | undefined> {
    const failure = await this.options.check!(commit, attempt);
    if (!failure) return undefined;
    const { repo, runId } = this.options;
    await git(['update-ref', '-m', 'coordinate: take back a merge that broke the check', `refs/heads/${runBranch(runId)}`, `${commit}^1`, commit], { cwd: repo });
    return failure;
  }
}
