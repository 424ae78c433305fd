import chardet from 'chardet';
import iconv from 'iconv-lite';
import { ToolError } from './errors.js';

/** How a file spells its text in bytes: written back the same way, so an edit changes only the bytes it replaces. */
export interface TextEncoding {
  /** "utf-8", or the name of another character set as iconv-lite knows it (e.g. "windows-1252"). */
  charset: string;
  /** The file starts with a UTF-8 byte order mark (EF BB BF), which the text leaves out. */
  bom: boolean;
}

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

export const UTF8: TextEncoding = { charset: 'utf-8', bom: false };
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** How much of a file is looked at to decide whether it is binary, as git does. */
const SNIFF_BYTES = 8000;

export const looksBinary = (content: Buffer) => content.subarray(0, SNIFF_BYTES).includes(0);

/**
 * The text of a file's bytes. UTF-8 (with or without a BOM) is decoded strictly; other bytes are
 * decoded in the character set chardet detects, and only when encoding the text again gives back the
 * very same bytes. Throws ToolError `binary_file` or `unknown_encoding`, written for the model.
 */
export function decodeText(bytes: Buffer, display: string): DecodedText {
  if (looksBinary(bytes)) throw new ToolError('binary_file', `"${display}" is a binary file (${bytes.length} bytes); the file tools read and change only text files`);
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), encoding: { charset: 'utf-8', bom } };
  } catch {
    // Not UTF-8: try the character set the bytes look like.
  }
  const charset = chardet.detect(body);
  if (charset !== null && iconv.encodingExists(charset)) {
    const text = iconv.decode(body, charset);
    if (iconv.encode(text, charset).equals(body)) return { text, encoding: { charset: charset.toLowerCase(), bom: false } };
  }
  throw new ToolError(
    'unknown_encoding',
    `"${display}" is not UTF-8 text${charset === null ? '' : ` and does not read back exactly as ${charset}`}, so the file tools cannot read or change it without damaging bytes; leave it as it is`,
  );
}

/**
 * The bytes of `text` in `encoding`. Throws ToolError `unencodable` when the text holds characters the
 * file's character set cannot spell (iconv-lite would silently put "?" in their place).
 */
export function encodeText(text: string, encoding: TextEncoding, display: string): Buffer {
  if (encoding.charset === 'utf-8') return encoding.bom ? Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
  const bytes = iconv.encode(text, encoding.charset);
  const back = iconv.decode(bytes, encoding.charset);
  if (back !== text) {
    const bad = [...text].find((char, index) => [...back][index] !== char) ?? '?';
    throw new ToolError(
      'unencodable',
      `"${display}" is ${encoding.charset} text, which cannot hold "${bad}" (U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); use characters of that character set (or an escape the language allows) instead`,
    );
  }
  return bytes;
}
