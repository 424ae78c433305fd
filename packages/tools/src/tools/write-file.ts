import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { fileDiff } from '../file-diff.js';
import { clipMiddle } from '../output-limit.js';
import { success, type ToolOutcome } from '../outcome.js';
import type { WriteFileInput } from '../schemas.js';
import { fsFailure, readTextFile } from '../text-file.js';
import type { FileToolContext } from './context.js';

/** Creates or replaces a file (and its missing folders) and reports the change as a diff. */
export async function writeFileTool(input: WriteFileInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const file = await ctx.sandbox.resolve(input.path, 'write');
  const display = ctx.sandbox.display(file);
  const before = await previousText(file, display);
  await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  await writeFile(file, input.content).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  return changeOutcome(display, before, input.content, ctx.maxOutputBytes);
}

/** The text a file had, undefined when it did not exist; a binary file counts as empty text. */
async function previousText(file: string, display: string): Promise<string | undefined> {
  try {
    return await readTextFile(file, display);
  } catch (error) {
    if (error instanceof ToolError && error.code === 'not_found') return undefined;
    if (error instanceof ToolError && (error.code === 'binary_file' || error.code === 'too_large')) return '';
    throw error;
  }
}

/** The result of a file change: a headline with line counts, then the diff (cut to fit). */
export function changeOutcome(display: string, before: string | undefined, after: string, maxOutputBytes: number): ToolOutcome {
  if (before === after) return success(`${display} already had this content; nothing changed`, `${display} unchanged`);
  const diff = fileDiff(display, before, after);
  const verb = before === undefined ? 'created' : 'updated';
  const headline = `${verb} ${display} (+${diff.added} −${diff.removed} lines)`;
  return success(`${headline}\n${clipMiddle(diff.patch, maxOutputBytes)}`, headline, diff.patch);
}
