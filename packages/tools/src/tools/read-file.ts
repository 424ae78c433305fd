import { ToolError } from '../errors.js';
import { success, type ToolOutcome } from '../outcome.js';
import type { ReadFileInput } from '../schemas.js';
import { readTextFile, splitLines } from '../text-file.js';
import type { FileToolContext } from './context.js';

const DEFAULT_LINE_LIMIT = 2000;
const MAX_LINE_CHARS = 2000;

/** Numbered lines of a text file, from `offset` (1-based) for `limit` lines, within the output cap. */
export async function readFileTool(input: ReadFileInput, ctx: FileToolContext): Promise<ToolOutcome> {
  const file = await ctx.sandbox.resolve(input.path, 'read');
  const display = ctx.sandbox.display(file);
  const read = await readTextFile(file, display);
  ctx.ledger.saw(file, read.bytes);
  const lines = splitLines(read.text);
  if (lines.length === 0) return success(`(${display} is empty)`, `read ${display} (empty)`);

  const first = input.offset ?? 1;
  if (first > lines.length) {
    throw new ToolError('invalid_input', `offset ${first} is past the end of ${display}, which has ${lines.length} lines`);
  }
  const wanted = Math.min(lines.length, first - 1 + (input.limit ?? DEFAULT_LINE_LIMIT));
  const width = String(wanted).length;
  const out: string[] = [];
  let bytes = 0;
  let last = first - 1;
  for (let index = first - 1; index < wanted; index++) {
    const text = lines[index]!;
    const shown = text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)} [… line cut at ${MAX_LINE_CHARS} characters]` : text;
    const numbered = `${String(index + 1).padStart(width)}\t${shown}`;
    bytes += Buffer.byteLength(numbered) + 1;
    if (bytes > ctx.maxOutputBytes && out.length > 0) break;
    out.push(numbered);
    last = index + 1;
  }
  if (last < lines.length) out.push(`[showing lines ${first}–${last} of ${lines.length}; read on with offset=${last + 1}]`);
  // The model writes plain characters; it needs to know when the file cannot hold every character.
  if (read.encoding.charset !== 'utf-8') out.unshift(`[${display} is ${read.encoding.charset} text; edits are written back in ${read.encoding.charset}]`);
  return success(out.join('\n'), `read ${display} lines ${first}–${last} of ${lines.length}`);
}
