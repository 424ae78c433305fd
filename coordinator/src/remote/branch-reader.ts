import { statSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../git/index.js';

/**
 * The commit a branch names, looked up with git only when the branch may have moved since the last
 * lookup. Every attempt given to a worker elsewhere asks for the run branch, and a `git` process per
 * dispatch costs more than everything else the coordinator does for it; git moves a loose ref by
 * renaming a new file over it and packs refs into a new `packed-refs`, so a change of either file's
 * identity (inode, size, modification time) is a change of the branch. A repository whose refs git
 * keeps otherwise (reftable) is asked every time.
 */
export class BranchReader {
  /** Each repository's common git folder, undefined outside git (a folder that is not a repository stays one for the run). */
  readonly #commonDirs = new Map<string, Promise<string | undefined>>();
  readonly #known = new Map<string, { signature: string; commit: string | undefined }>();

  /** `lookup` resolves a ref to its commit in a folder (undefined when it names none). */
  constructor(private readonly lookup: (cwd: string, ref: string) => Promise<string | undefined>) {}

  /** The commit `ref` (a full name: refs/heads/…) names in `repo`, as fresh as a `git rev-parse` now. */
  async commitOf(repo: string, ref: string): Promise<string | undefined> {
    const common = await this.#commonDir(repo);
    if (common === undefined) return undefined;
    // Taken before the lookup: a branch that moves during it changes the signature, so the next ask looks again.
    const signature = refSignature(common, ref);
    const key = `${repo}\0${ref}`;
    const known = this.#known.get(key);
    if (signature !== undefined && known?.signature === signature) return known.commit;
    const commit = await this.lookup(repo, ref);
    if (signature !== undefined) this.#known.set(key, { signature, commit });
    return commit;
  }

  #commonDir(repo: string): Promise<string | undefined> {
    let dir = this.#commonDirs.get(repo);
    if (!dir) {
      dir = git(['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: repo, okExitCodes: [0, 128] }).then(
        (found) => (found.exitCode === 0 ? found.stdout.trim() : undefined),
        () => {
          // git could not be run at all: that says nothing about the folder, so the next ask tries again.
          this.#commonDirs.delete(repo);
          return undefined;
        },
      );
      this.#commonDirs.set(repo, dir);
    }
    return dir;
  }
}

/** The identity of the files that hold `ref`; undefined when git keeps refs where this cannot see them change. */
function refSignature(commonDir: string, ref: string): string | undefined {
  if (stat(join(commonDir, 'reftable')) !== 'absent') return undefined;
  return `${stat(join(commonDir, ref))}|${stat(join(commonDir, 'packed-refs'))}`;
}

function stat(file: string): string {
  const found = statSync(file, { bigint: true, throwIfNoEntry: false });
  return found ? `${found.ino}:${found.size}:${found.mtimeNs}:${found.ctimeNs}` : 'absent';
}
