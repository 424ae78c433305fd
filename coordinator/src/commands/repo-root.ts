import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inspectRepo } from '../git/index.js';
import { UsageError } from '../cli/errors.js';

/** The repository a command works in: the top of the git work tree around `--cwd`, or that folder itself outside git. */
export async function resolveRepoRoot(cwdFlag: string | undefined, cwd: string): Promise<string> {
  const dir = resolve(cwd, cwdFlag ?? '.');
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`${dir} is not a folder`, 'pass an existing folder with --cwd, or run coordinate inside your repository');
  return (await inspectRepo(dir)).root ?? dir;
}
