import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { coordinateDir } from './layout.js';

/** Run state never goes into commits; the config and MEMORY.md are meant for review, so they stay visible to git. */
const GITIGNORE = `# written by coordinate: run state (journals, transcripts, worktrees, memory.db) never goes into commits
*
!.gitignore
!config.json
!MEMORY.md
`;

/** Refuses a `.coordinate` that is a symbolic link: it could point run state (and what resume trusts) anywhere. */
export async function refuseLinkedCoordinateDir(repoRoot: string): Promise<void> {
  const dir = coordinateDir(repoRoot);
  const info = await lstat(dir).catch(() => undefined);
  if (info?.isSymbolicLink()) throw new UsageError(`${dir} is a symbolic link; coordinate keeps run state only in a real folder`, `remove the link (rm ${dir}) and run again`);
}

/**
 * `.coordinate/` ready for a run: a real folder (never a symbolic link) holding its own
 * `.gitignore`, written on first use and never overwritten (the person may have edited it).
 */
export async function prepareCoordinateDir(repoRoot: string): Promise<string> {
  await refuseLinkedCoordinateDir(repoRoot);
  const dir = coordinateDir(repoRoot);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, '.gitignore'), GITIGNORE, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return dir;
}
