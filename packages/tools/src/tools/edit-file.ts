import { writeFile } from 'node:fs/promises';
import { ToolError } from '../errors.js';
import type { ToolOutcome } from '../outcome.js';
import type { EditFileInput } from '../schemas.js';
import { encodeText } from '../text-encoding.js';
import { fsFailure, readTextFile } from '../text-file.js';
import type { FileToolContext } from './context.js';
import { claimLease } from './lease.js';
import { findSpans, replaceSpans } from './text-spans.js';
import { changeOutcome } from './write-file.js';

/**
 * Replaces an exact, unique piece of a file (or every occurrence with replace_all). Only the bytes of
 * the replaced pieces change: the file's encoding, BOM and line ends elsewhere stay as they were.
 */
export async function editFileTool(input: EditFileInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const file = await ctx.sandbox.resolve(input.path, 'write');
  const display = ctx.sandbox.display(file);
  const before = await readTextFile(file, display).catch((error: unknown) => {
    if (error instanceof ToolError && error.code === 'not_found') {
      throw new ToolError('not_found', `there is no file at "${display}"; use write_file to create it`);
    }
    throw error;
  });
  ctx.ledger.checkEdit(file, before.bytes, display);
  if (input.old_string === input.new_string) throw new ToolError('no_change', 'old_string and new_string are the same; nothing would change');

  const spans = findSpans(before.text, input.old_string);
  if (spans.length === 0) {
    throw new ToolError('not_found', `old_string was not found in ${display}; read the file again and copy the text exactly, whitespace included`);
  }
  if (spans.length > 1 && !input.replace_all) {
    throw new ToolError('not_unique', `old_string was found ${spans.length} times in ${display} — add context or set replace_all`);
  }
  const after = replaceSpans(before.text, spans, input.new_string);
  await claimLease(ctx, display);
  const bytes = encodeText(after, before.encoding, display);
  await writeFile(file, bytes).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  ctx.ledger.saw(file, bytes);
  return changeOutcome(display, before.text, after, ctx.maxOutputBytes);
}
