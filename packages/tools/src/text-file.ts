import { readFile, stat } from 'node:fs/promises';
import { ToolError } from './errors.js';
import { decodeText, type DecodedText } from './text-encoding.js';

/** Files larger than this are not read whole by the file tools. */
export const MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024;

export interface TextFile extends DecodedText {
  /** The file's bytes as read: what "unchanged since read" is checked against. */
  bytes: Buffer;
}

/** The bytes and text of a file, refusing folders, files over `maxBytes`, binary files and text in an encoding that does not read back exactly. */
export async function readTextFile(file: string, display: string, maxBytes = MAX_TEXT_FILE_BYTES): Promise<TextFile> {
  const info = await stat(file).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  if (info.isDirectory()) throw new ToolError('is_directory', `"${display}" is a folder; use list_files to see what it holds`);
  if (info.size > maxBytes) {
    throw new ToolError('too_large', `"${display}" is ${info.size} bytes, more than the ${maxBytes} the file tools read; use search_files to find the part you need`);
  }
  const bytes = await readFile(file).catch((error: unknown) => {
    throw fsFailure(error, display);
  });
  return { bytes, ...decodeText(bytes, display) };
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
