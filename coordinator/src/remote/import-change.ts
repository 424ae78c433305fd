import { ChangeRefusedError, type TaskChange } from '@coordinate/protocol';
import { git } from '../git/index.js';

/** More commits than one task makes; a change past it is refused rather than walked. */
const MAX_CHANGE_COMMITS = 1_000;

/** Objects from a worker are untrusted input: git checks each one as it arrives. */
const FSCK = ['-c', 'transfer.fsckObjects=true', '-c', 'fetch.fsckObjects=true'];

export interface ImportChangeOptions {
  repo: string;
  /** The task's worktree on the coordinator, still at the base commit the worker started from. */
  worktree: string;
  /** The uploaded bundle, already checked against its SHA-256. */
  file: string;
  change: TaskChange;
  /** A ref of the coordinator's own where the change waits while it is checked. */
  quarantineRef: string;
}

/**
 * Takes a remote worker's change into the task's worktree, where it lands like a local task's
 * work. The bundle is untrusted: it must hold exactly one head (`HEAD`, the announced commit), every
 * commit in it must descend from the task's base, and it may not touch `.coordinate/`; only the
 * resulting tree is taken, never the worker's commits or their authorship.
 */
export async function importChange(options: ImportChangeOptions): Promise<void> {
  const { repo, worktree, file, change, quarantineRef } = options;
  const listed = await git(['bundle', 'list-heads', file], { cwd: repo }).catch(() => undefined);
  if (listed === undefined) throw new ChangeRefusedError('the uploaded change is not a git bundle');
  const heads = listed.stdout.trim().split('\n').filter(Boolean);
  if (heads.length !== 1 || heads[0] !== `${change.head} HEAD`) {
    throw new ChangeRefusedError(`the change bundle must name exactly one head, HEAD at ${change.head}; it names ${heads.length === 0 ? 'none' : heads.map((line) => JSON.stringify(line.slice(0, 200))).join(', ')}`);
  }
  const at = (await git(['rev-parse', 'HEAD'], { cwd: worktree })).stdout.trim();
  if (at !== change.base) throw new ChangeRefusedError(`the change was made on ${change.base}, but the task started from ${at}`);
  // git() keeps the fetch apart from worktrees being added or removed (the run's spare): its
  // connectivity check reads every worktree's HEAD.
  const fetched = await git([...FSCK, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', file, `+HEAD:${quarantineRef}`], { cwd: repo, okExitCodes: [0, 1, 128] });
  if (fetched.exitCode !== 0) throw new ChangeRefusedError(`the change bundle could not be fetched: ${fetched.stderr.trim().slice(0, 1000)}`);
  try {
    await checkDescent(repo, change);
    const touched = (await git(['diff', '--name-only', '-z', change.base, change.head], { cwd: repo })).stdout.split('\0').filter(Boolean);
    const forbidden = touched.find((path) => path === '.coordinate' || path.startsWith('.coordinate/'));
    if (forbidden !== undefined) throw new ChangeRefusedError(`the change writes ${JSON.stringify(forbidden)}: tasks never write .coordinate/`);
    await git(['read-tree', '-u', '--reset', change.head], { cwd: worktree });
  } finally {
    await git(['update-ref', '-d', quarantineRef], { cwd: repo, okExitCodes: [0, 1] });
  }
}

/** Every commit between the base and the head must have the base as an ancestor: nothing from unrelated history rides along. */
async function checkDescent(repo: string, change: TaskChange): Promise<void> {
  const range = `${change.base}..${change.head}`;
  const all = (await git(['rev-list', `--max-count=${MAX_CHANGE_COMMITS + 1}`, range], { cwd: repo })).stdout.trim().split('\n').filter(Boolean);
  if (all.length > MAX_CHANGE_COMMITS) throw new ChangeRefusedError(`the change holds more than ${MAX_CHANGE_COMMITS} commits`);
  const descending = (await git(['rev-list', '--ancestry-path', range], { cwd: repo })).stdout.trim().split('\n').filter(Boolean);
  if (all.length === 0 || descending.length !== all.length) {
    throw new ChangeRefusedError(`the change's commits do not all descend from the base ${change.base}: ${all.length - descending.length} come from elsewhere`);
  }
}
