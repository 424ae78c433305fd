import path from 'node:path';
import { glob } from 'tinyglobby';
import { ToolError } from '../errors.js';

/** Never listed or searched: git's internals, installed dependencies and the run's own state. */
const IGNORED = ['**/.git', '**/.git/**', '**/node_modules/**', '**/.coordinate/**'];

/**
 * Files under `dir` matching `pattern`, relative to `dir` with "/" separators, sorted. Symbolic
 * links to folders are not followed, so a listing never wanders out of the task root.
 */
export async function projectFiles(dir: string, pattern: string, signal?: AbortSignal): Promise<string[]> {
  if (path.posix.isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..')) {
    throw new ToolError('invalid_pattern', `the glob "${pattern}" must stay inside the folder it lists: no leading "/" and no ".."`);
  }
  const files = await glob(pattern, {
    cwd: dir,
    dot: true,
    ignore: IGNORED,
    onlyFiles: true,
    followSymbolicLinks: false,
    expandDirectories: false,
    ...(signal ? { signal } : {}),
  });
  return files.sort();
}
