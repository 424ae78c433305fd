import { readFile, stat } from 'node:fs/promises';
import { ToolError } from './errors.js';

/** Files larger than this are not read whole by the file tools. */
export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;
/** How much of a file is looked at to decide whether it is binary, as git does. */
const SNIFF_BYTES = 8000;

export const looksBinary = (content: Buffer) => content.subarray(0, SNIFF_BYTES).includes(0);

/** The text of a file, refusing folders, binary files and files over `maxBytes`. */
export async function readTextFile(file: string, display: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<string> {
  const info = await stat(file).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  if (info.isDirectory()) throw new ToolError('is_directory', `"${display}" is a folder; use list_files to see what it holds`);
  if (info.size > maxBytes) {
    throw new ToolError('too_large', `"${display}" is ${info.size} bytes, more than the ${maxBytes} the file tools read; use search_files to find the part you need`);
  }
  const content = await readFile(file).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  if (looksBinary(content)) throw new ToolError('binary_file', `"${display}" is a binary file (${content.length} bytes); only text files can be read`);
  return content.toString('utf8');
}

/** A file-system error as a message the model can act on. */
export function fsFailure(error: unknown, display: string): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return new ToolError('not_found', `there is no file or folder at "${display}"; list_files shows what exists`);
    case 'ENOTDIR':
      return new ToolError('not_a_directory', `a part of "${display}" is a file, not a folder`);
    case 'EISDIR':
      return new ToolError('is_directory', `"${display}" is a folder`);
    default:
      return error;
  }
}

/** Lines of `text` without their line ends; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}
