import { stat } from 'node:fs/promises';
import { ToolError } from '../errors.js';
import { success, type ToolOutcome } from '../outcome.js';
import type { ListFilesInput } from '../schemas.js';
import { fsFailure } from '../text-file.js';
import type { FileToolContext } from './context.js';
import { projectFiles } from './project-files.js';

const MAX_ENTRIES = 1000;

/** Files matching a glob under a folder, as paths relative to the task root. */
export async function listFilesTool(input: ListFilesInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const dir = await ctx.sandbox.resolve(input.path ?? '.', 'read');
  const where = ctx.sandbox.display(dir);
  const info = await stat(dir).catch((error: unknown) => {
    throw fsFailure(error, where);
  });
  if (!info.isDirectory()) throw new ToolError('not_a_directory', `"${where}" is a file, not a folder; use read_file to read it`);

  const pattern = input.pattern ?? '**/*';
  const prefix = where === '.' ? '' : `${where}/`;
  const files = (await projectFiles(dir, pattern, ctx.signal)).map((file) => prefix + file);
  if (files.length === 0) return success(`no files match "${pattern}" in ${where}`, `listed ${where}: no files`);

  const shown: string[] = [];
  let bytes = 0;
  for (const file of files.slice(0, MAX_ENTRIES)) {
    bytes += Buffer.byteLength(file) + 1;
    if (bytes > ctx.maxOutputBytes) break;
    shown.push(file);
  }
  if (shown.length < files.length) shown.push(`[… ${files.length - shown.length} more files not shown; narrow the pattern or the path]`);
  return success(shown.join('\n'), `listed ${files.length} files in ${where}`);
}
