import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { git } from '../git/index.js';
import { refuseLinkedCoordinateDir } from '../run/coordinate-dir.js';
import type { StoredRun } from './run-store.js';

/**
 * Refuses to resume state this person's coordinator did not write: a `.coordinate` that is a
 * symbolic link, a journal owned by another user, or one tracked by git (a journal committed
 * to the repository would otherwise run a plan nobody approved here).
 */
export async function checkRunIsOurs(repoRoot: string, run: StoredRun): Promise<void> {
  await refuseLinkedCoordinateDir(repoRoot);
  const journal = run.paths.journal;
  const info = await stat(journal).catch(() => undefined);
  if (!info) return;
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new UsageError(`the journal of run ${run.runId} belongs to another user (uid ${info.uid}); it was not written by you`, 'start a new run');
  }
  const tracked = await git(['ls-files', '--error-unmatch', '--', relative(repoRoot, journal)], { cwd: repoRoot, okExitCodes: [0, 1, 128] });
  if (tracked.exitCode === 0) {
    throw new UsageError(
      `the journal of run ${run.runId} is tracked by git: it came with the repository, not from a run of yours, so it is not resumed`,
      'start a new run; remove .coordinate/runs from the repository (git rm -r --cached .coordinate/runs)',
    );
  }
}
