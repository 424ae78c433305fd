import { writeFile } from 'node:fs/promises';
import { ToolError } from '../errors.js';
import type { ToolOutcome } from '../outcome.js';
import type { EditFileInput } from '../schemas.js';
import { fsFailure, readTextFile } from '../text-file.js';
import type { FileToolContext } from './context.js';
import { changeOutcome } from './write-file.js';

/** Replaces an exact, unique piece of a file (or every occurrence with replace_all). */
export async function editFileTool(input: EditFileInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const file = await ctx.sandbox.resolve(input.path, 'write');
  const display = ctx.sandbox.display(file);
  const before = await readTextFile(file, display).catch((error: unknown) => {
    if (error instanceof ToolError && error.code === 'not_found') {
      throw new ToolError('not_found', `there is no file at "${display}"; use write_file to create it`);
    }
    throw error;
  });
  if (input.old_string === input.new_string) throw new ToolError('no_change', 'old_string and new_string are the same; nothing would change');

  const { oldString, newString } = matchLineEnds(before, input.old_string, input.new_string);
  const count = occurrences(before, oldString);
  if (count === 0) {
    throw new ToolError('not_found', `old_string was not found in ${display}; read the file again and copy the text exactly, whitespace included`);
  }
  if (count > 1 && !input.replace_all) {
    throw new ToolError('not_unique', `old_string was found ${count} times in ${display} — add context or set replace_all`);
  }
  const after = input.replace_all ? before.split(oldString).join(newString) : replaceOnce(before, oldString, newString);
  await writeFile(file, after).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  return changeOutcome(display, before, after, ctx.maxOutputBytes);
}

/** A model writes "\n"; in a file with Windows line ends the same text is spelled with "\r\n". */
function matchLineEnds(content: string, oldString: string, newString: string) {
  if (content.includes(oldString) || !content.includes('\r\n') || oldString.includes('\r\n')) return { oldString, newString };
  const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
  return { oldString: crlf(oldString), newString: crlf(newString) };
}

function occurrences(content: string, needle: string): number {
  let count = 0;
  for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** Splices instead of String.replace, whose "$&"-style patterns would rewrite the model's text. */
function replaceOnce(content: string, oldString: string, newString: string): string {
  const at = content.indexOf(oldString);
  return content.slice(0, at) + newString + content.slice(at + oldString.length);
}
