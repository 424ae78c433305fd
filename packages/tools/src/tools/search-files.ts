import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { success, type ToolOutcome } from '../outcome.js';
import type { SearchFilesInput } from '../schemas.js';
import { fsFailure, splitLines } from '../text-file.js';
import { decodeText } from '../text-encoding.js';
import type { FileToolContext } from './context.js';
import { projectFiles } from './project-files.js';

const MAX_MATCHES = 200;
/** Larger files are mostly generated or data; skipping them keeps a search quick. */
const MAX_SEARCHED_FILE_BYTES = 1024 * 1024;
/** Only this much of a line is tested, so a minified file cannot make one pattern run for minutes. */
const MAX_TESTED_LINE_CHARS = 4000;
const MAX_SHOWN_LINE_CHARS = 300;

/** Lines matching a regular expression, as `path:line: text`, in files under a folder (or one file). */
export async function searchFilesTool(input: SearchFilesInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const regex = compile(input.pattern);
  const target = await ctx.sandbox.resolve(input.path ?? '.', 'read');
  const where = ctx.sandbox.display(target);
  const info = await stat(target).catch((error: unknown) => {
    throw fsFailure(error, where);
  });
  const files = info.isDirectory()
    ? (await projectFiles(target, input.glob ?? '**/*', ctx.signal)).map((file) => path.join(target, file))
    : [target];

  const matches: string[] = [];
  let bytes = 0;
  let skipped = 0;
  let full = false;
  for (const file of files) {
    if (full) break;
    // A listed file may be a symbolic link that leads out of the root: it is skipped like a binary.
    const real = await ctx.sandbox.resolve(file, 'read').catch(() => undefined);
    const content = real === undefined ? undefined : await readSearchable(real);
    if (content === undefined) {
      skipped++;
      continue;
    }
    const display = ctx.sandbox.display(file);
    const lines = splitLines(content);
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!;
      if (!regex.test(line.length > MAX_TESTED_LINE_CHARS ? line.slice(0, MAX_TESTED_LINE_CHARS) : line)) continue;
      const text = line.trim();
      const entry = `${display}:${index + 1}: ${text.length > MAX_SHOWN_LINE_CHARS ? `${text.slice(0, MAX_SHOWN_LINE_CHARS)}…` : text}`;
      bytes += Buffer.byteLength(entry) + 1;
      if (matches.length >= MAX_MATCHES || bytes > ctx.maxOutputBytes) {
        full = true;
        break;
      }
      matches.push(entry);
    }
  }

  const skippedNote = skipped > 0 ? ` (${skipped} binary, undecodable, oversized or out-of-root files skipped)` : '';
  if (matches.length === 0) return success(`no matches for /${input.pattern}/ in ${files.length} files under ${where}${skippedNote}`, `searched ${where}: no matches`);
  const found = matches.length;
  if (full) matches.push(`[stopped after ${found} matches; narrow the pattern, the path or the glob]`);
  else if (skipped > 0) matches.push(`[${skipped} binary, undecodable, oversized or out-of-root files skipped]`);
  return success(matches.join('\n'), `searched ${where}: ${found}${full ? '+' : ''} matches`);
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (error) {
    throw new ToolError('invalid_regex', `"${pattern}" is not a valid JavaScript regular expression: ${(error as Error).message}`);
  }
}

/**
 * The text of a file worth searching, decoded as read_file decodes it (so a Windows-1252 line matches
 * and shows the characters read_file shows), or undefined for binary, undecodable, oversized or vanished files.
 */
async function readSearchable(file: string): Promise<string | undefined> {
  try {
    if ((await stat(file)).size > MAX_SEARCHED_FILE_BYTES) return undefined;
    return decodeText(await readFile(file), file).text;
  } catch {
    return undefined;
  }
}
