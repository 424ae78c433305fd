import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CoordinatorMessage, MessageOf, TaskContext, TaskResultBody } from '@coordinate/protocol';
import type { PendingRequests } from './requests.js';
import { downloadBase, uploadChange } from './remote/bundle-transfer.js';
import { git } from './remote/git.js';

type Assign = MessageOf<CoordinatorMessage, 'task.assign'>;

export interface RemoteWorkspaceOptions {
  /** The worker's own folder for its clone and the tasks' worktrees (inside its --root). */
  dir: string;
  /** `--repo`: clone this first, so only commits the clone lacks travel as a bundle. */
  repoUrl?: string;
  requests: PendingRequests;
  logger: Logger;
}

/**
 * A worker on another machine works in its own clone: each attempt gets a worktree of the base
 * commit the coordinator names, fetched from `--repo` or as a bundle over the connection, and an
 * implementation's change goes back as a bundle of commits on top of that base.
 */
export class RemoteWorkspace {
  #repo: Promise<string> | undefined;

  constructor(private readonly options: RemoteWorkspaceOptions) {}

  /** Runs `execute` in a worktree of the attempt's base, and attaches the change an implementation made. Without a base the context is used as it came. */
  async within(message: Assign, execute: (context: TaskContext) => Promise<TaskResultBody>): Promise<TaskResultBody> {
    const { base } = message.context;
    if (base === undefined || message.context.root !== undefined) return execute(message.context);
    const repo = await this.#clone();
    await this.#ensureCommit(repo, message, base.commit);
    const path = join(this.options.dir, 'tasks', `${message.taskId}-${message.attempt}`);
    await this.#removeWorktree(repo, path);
    await git(['worktree', 'add', '--quiet', '--detach', path, base.commit], repo);
    try {
      const body = await execute({ ...message.context, root: path });
      if (message.task.role !== 'implement' || body.outcome !== 'succeeded') return body;
      const change = await this.#change(path, message, base.commit);
      return change ? { ...body, change } : body;
    } finally {
      await this.#removeWorktree(repo, path);
    }
  }

  #clone(): Promise<string> {
    this.#repo ??= (async () => {
      const repo = join(this.options.dir, 'repo.git');
      await mkdir(this.options.dir, { recursive: true });
      const { repoUrl } = this.options;
      const existing = await git(['rev-parse', '--git-dir'], repo, [0, 128]).catch(() => undefined);
      if (existing?.exitCode !== 0) {
        await rm(repo, { recursive: true, force: true });
        if (repoUrl !== undefined) await git(['clone', '--quiet', '--bare', repoUrl, repo], this.options.dir);
        else await git(['init', '--quiet', '--bare', repo], this.options.dir);
      }
      return repo;
    })();
    this.#repo.catch(() => (this.#repo = undefined));
    return this.#repo;
  }

  async #has(repo: string, commit: string): Promise<boolean> {
    return (await git(['cat-file', '-e', `${commit}^{commit}`], repo, [0, 1, 128])).exitCode === 0;
  }

  /** The base commit in the clone: already there, fetched from --repo, or fetched as a bundle from the coordinator. */
  async #ensureCommit(repo: string, message: Assign, commit: string): Promise<void> {
    if (await this.#has(repo, commit)) return;
    if (this.options.repoUrl !== undefined) {
      await git(['fetch', '--quiet', '--no-tags', 'origin', '+refs/heads/*:refs/heads/*'], repo, [0, 1, 128]);
      if (await this.#has(repo, commit)) return;
    }
    const file = join(this.options.dir, `base-${commit}.bundle`);
    this.options.logger.info({ taskId: message.taskId, commit }, 'fetching the base commit as a bundle');
    try {
      const ref = await downloadBase(this.options.requests, message, file);
      this.options.logger.info({ taskId: message.taskId, commit, bytes: ref.bytes }, 'base commit fetched as a bundle');
      await git(['-c', 'transfer.fsckObjects=true', 'fetch', '--quiet', '--no-tags', file, '+refs/coordinate/bundle-base/*:refs/coordinate/base/*'], repo);
    } finally {
      await rm(file, { force: true });
    }
  }

  /** The attempt's work as one commit on the base, bundled and uploaded; undefined when it changed nothing. */
  async #change(path: string, message: Assign, base: string): Promise<TaskResultBody['change']> {
    await git(['add', '--all'], path);
    if ((await git(['diff', '--cached', '--quiet'], path, [0, 1])).exitCode === 0) return undefined;
    await git(['commit', '--quiet', '--no-verify', '--no-gpg-sign', '-m', `${message.task.id} attempt ${message.attempt}`], path);
    const head = (await git(['rev-parse', 'HEAD'], path)).stdout.trim();
    const file = join(this.options.dir, `change-${message.taskId}-${message.attempt}.bundle`);
    try {
      await git(['bundle', 'create', '--quiet', file, 'HEAD', `^${base}`], path);
      const ref = await uploadChange(this.options.requests, message, file);
      this.options.logger.info({ taskId: message.taskId, bytes: ref.bytes }, 'change uploaded as a bundle');
      return { ...ref, base, head };
    } finally {
      await rm(file, { force: true });
    }
  }

  async #removeWorktree(repo: string, path: string): Promise<void> {
    await git(['worktree', 'remove', '--force', path], repo, [0, 128]);
    await rm(path, { recursive: true, force: true });
    await git(['worktree', 'prune'], repo, [0, 128]);
  }
}
