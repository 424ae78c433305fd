import { resolve } from 'node:path';
import { execa } from 'execa';

/**
 * The two kinds of git command that must not overlap in one repository:
 * - `worktrees`: `git worktree …` adds, moves, repairs and removes worktrees. `add` writes a
 *   placeholder HEAD into `worktrees/<name>/` before the real one, and `remove`/`prune` delete
 *   those folders.
 * - `reachability`: commands that walk from every ref, each worktree's HEAD included (`fetch`'s
 *   connectivity check, `gc`, `repack`, `prune`, `fsck`). Met mid-add or mid-remove, such a HEAD
 *   makes them fail with `bad object worktrees/<name>/HEAD`.
 * Commands of one kind run side by side, as git allows.
 */
type LockSide = 'worktrees' | 'reachability';

const REACHABILITY = new Set(['fetch', 'pull', 'gc', 'repack', 'prune', 'fsck']);

/** Global options before the subcommand that take a separate value (`-c name=value`, `-C path`). */
const GLOBAL_WITH_VALUE = new Set(['-c', '-C', '--git-dir', '--work-tree', '--namespace', '--config-env']);

/** The side of the repository's lock a git command takes; undefined for one that needs none. */
function lockSideOf(args: readonly string[]): LockSide | undefined {
  let at = 0;
  while (at < args.length && args[at]!.startsWith('-')) at += GLOBAL_WITH_VALUE.has(args[at]!) ? 2 : 1;
  const command = args[at];
  if (command === 'worktree') return 'worktrees';
  return command !== undefined && REACHABILITY.has(command) ? 'reachability' : undefined;
}

/**
 * A lock with two sides: any number of holders on one side at once, never both sides. Waiters are
 * let in in arrival order, so a steady stream on one side cannot starve the other.
 */
class SidedLock {
  #side: LockSide | undefined;
  #holders = 0;
  readonly #waiting: { side: LockSide; enter: () => void }[] = [];

  get idle(): boolean {
    return this.#holders === 0 && this.#waiting.length === 0;
  }

  async hold<T>(side: LockSide, run: () => Promise<T>): Promise<T> {
    if (this.#waiting.length > 0 || (this.#holders > 0 && this.#side !== side)) {
      await new Promise<void>((enter) => this.#waiting.push({ side, enter }));
    } else {
      this.#side = side;
      this.#holders++;
    }
    try {
      return await run();
    } finally {
      this.#leave();
    }
  }

  /** The last holder out lets in the next waiter and every waiter right behind it on the same side. */
  #leave(): void {
    if (--this.#holders > 0) return;
    const side = this.#waiting[0]?.side;
    this.#side = side;
    while (side !== undefined && this.#waiting[0]?.side === side) {
      this.#holders++;
      this.#waiting.shift()!.enter();
    }
  }
}

/** Keyed by the repository's common git directory, which all its worktrees share. */
const locks = new Map<string, SidedLock>();
/** A folder → its repository's common git directory (undefined outside a repository, not kept). */
const commonDirs = new Map<string, Promise<string | undefined>>();

function commonDirOf(cwd: string): Promise<string | undefined> {
  const folder = resolve(cwd);
  let dir = commonDirs.get(folder);
  if (dir === undefined) {
    dir = execa('git', ['rev-parse', '--git-common-dir'], { cwd: folder, reject: false, extendEnv: false, env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' } }).then(
      (result) => (result.exitCode === 0 ? resolve(folder, String(result.stdout).trim()) : undefined),
      () => undefined,
    );
    commonDirs.set(folder, dir);
    // a folder that is no repository yet may become one: only an answer is kept
    void dir.then((found) => found === undefined && commonDirs.delete(folder));
  }
  return dir;
}

/**
 * Runs one git command (`run`) under its repository's lock when `args` name a command that takes
 * one (`lockSideOf`); any other command, or one outside a repository, runs at once. The lock holds
 * within this process, where the coordinator's own commands overlap (a spare worktree made while
 * a remote task's change is fetched).
 */
export async function underRepoLock<T>(args: readonly string[], cwd: string, run: () => Promise<T>): Promise<T> {
  const side = lockSideOf(args);
  if (side === undefined) return run();
  const key = await commonDirOf(cwd);
  if (key === undefined) return run();
  let lock = locks.get(key);
  if (lock === undefined) locks.set(key, (lock = new SidedLock()));
  try {
    return await lock.hold(side, run);
  } finally {
    if (lock.idle) locks.delete(key);
  }
}
