import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { fileDiff } from '../file-diff.js';
import { clipMiddle } from '../output-limit.js';
import { success, type ToolOutcome } from '../outcome.js';
import type { WriteFileInput } from '../schemas.js';
import { encodeText, UTF8 } from '../text-encoding.js';
import { fsFailure, readTextFile, type TextFile } from '../text-file.js';
import type { FileToolContext } from './context.js';
import { claimLease } from './lease.js';

/**
 * Creates or replaces a file (and its missing folders) and reports the change as a diff. An existing
 * file is replaced only when the task has read it as it is now; it keeps its encoding, its BOM and,
 * when every line of it ended in "\r\n", that line end.
 */
export async function writeFileTool(input: WriteFileInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const file = await ctx.sandbox.resolve(input.path, 'write');
  const display = ctx.sandbox.display(file);
  const before = await existing(file, display, ctx);
  await claimLease(ctx, display);
  const content = before && usesOnlyCrlf(before.text) && !input.content.includes('\r\n') ? input.content.replace(/\n/g, '\r\n') : input.content;
  const bytes = encodeText(content, before?.encoding ?? UTF8, display);
  await mkdir(path.dirname(file), { recursive: true }).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  await writeFile(file, bytes).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  ctx.ledger.saw(file, bytes);
  return changeOutcome(display, before?.text, content, ctx.maxOutputBytes);
}

/** The file as it is, undefined when it does not exist; refused when the task has not read it as it is now. */
async function existing(file: string, display: string, ctx: FileToolContext): Promise<TextFile | undefined> {
  let current: TextFile;
  try {
    current = await readTextFile(file, display);
  } catch (error) {
    if (error instanceof ToolError && error.code === 'not_found') return undefined;
    throw error;
  }
  ctx.ledger.checkOverwrite(file, current.bytes, display);
  return current;
}

const usesOnlyCrlf = (text: string) => text.includes('\r\n') && !/(^|[^\r])\n/.test(text);

/** The result of a file change: a headline with line counts, then the diff (cut to fit). */
export function changeOutcome(display: string, before: string | undefined, after: string, maxOutputBytes: number): ToolOutcome {
  if (before === after) return success(`${display} already had this content; nothing changed`, `${display} unchanged`);
  const diff = fileDiff(display, before, after);
  const verb = before === undefined ? 'created' : 'updated';
  const headline = `${verb} ${display} (+${diff.added} −${diff.removed} lines)`;
  return success(`${headline}\n${clipMiddle(diff.patch, maxOutputBytes)}`, headline, diff.patch);
}
