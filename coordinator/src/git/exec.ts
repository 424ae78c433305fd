import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { GitError, GitNotFoundError } from './errors.js';
import { underRepoLock } from './repo-lock.js';

/** Who the commits coordinate makes itself are by, so it works on machines with no git identity configured. */
export const COORDINATE_IDENTITY = { name: 'coordinate', email: 'coordinate@localhost' } as const;

export interface GitOptions {
  cwd: string;
  /** Added to the base environment (PATH, HOME, the fixed identity). */
  env?: Record<string, string>;
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-tree` means "conflicts"). */
  okExitCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const PASSED_THROUGH = ['PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP'] as const;

/**
 * Nothing else is inherited: a GIT_DIR or GIT_INDEX_FILE from a hook the coordinator runs under must
 * not redirect its commands into another repository or index.
 */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    // `git status` would otherwise rewrite the person's index to refresh its stat cache.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_AUTHOR_NAME: COORDINATE_IDENTITY.name,
    GIT_AUTHOR_EMAIL: COORDINATE_IDENTITY.email,
    GIT_COMMITTER_NAME: COORDINATE_IDENTITY.name,
    GIT_COMMITTER_EMAIL: COORDINATE_IDENTITY.email,
  };
}

/** What one git process left: its exit code (undefined when it could not run or was killed), its output, and why it did not run. */
interface Finished {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** The spawn error's code (`ENOENT`) or message, when git did not run to its end. */
  failure?: { code?: unknown; message: string };
}

const MAX_OUTPUT = 256 * 1024 * 1024;

/**
 * Spawns git straight from node:child_process: the coordinator forks git on the way of every task
 * it hands out, and execa's layers (stream transforms, verbose and IPC handling) cost more than
 * git's own start-up there.
 */
function spawnGit(args: readonly string[], options: GitOptions): Promise<Finished> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd: options.cwd, env: { ...baseEnv(), ...options.env }, encoding: 'utf8', maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      if (!error) return resolve({ exitCode: 0, stdout, stderr });
      const exitCode = typeof error.code === 'number' ? error.code : undefined;
      resolve({ exitCode, stdout, stderr, ...(exitCode === undefined ? { failure: { code: error.code, message: error.message } } : {}) });
    });
    // git may exit without reading its input (a failed command): that is no error of its own.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

/**
 * Runs git without a shell; throws `GitError` for any exit code not in `okExitCodes` (default: only 0).
 * A command that adds or removes worktrees never overlaps one that walks every worktree's HEAD in
 * the same repository (`underRepoLock`).
 */
export async function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  const { exitCode, stdout, stderr, failure } = await underRepoLock(args, options.cwd, () => spawnGit(args, options));
  if (failure?.code === 'ENOENT' && (await isDirectory(options.cwd))) throw new GitNotFoundError();
  if (exitCode === undefined || !(options.okExitCodes ?? [0]).includes(exitCode)) {
    throw new GitError(args, exitCode, stderr || failure?.message || '', options.cwd);
  }
  return { stdout, stderr, exitCode };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

/** The entries of a `-z` output. */
export function nulFields(output: string): string[] {
  return output.split('\0').filter((field) => field.length > 0);
}
