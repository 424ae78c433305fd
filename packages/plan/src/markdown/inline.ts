/**
 * Single-line values (goal, titles, list items) are written as they are when that reads back
 * exactly; anything else (a newline, edge whitespace, a leading quote, the "(none)" marker) is
 * written as a JSON string, so every value survives a round trip.
 */
export const NONE = '(none)';

const plain = (value: string) =>
  value.length > 0 && value === value.trim() && !value.startsWith('"') && value !== NONE && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(value);

export function encodeInline(value: string): string {
  return plain(value) ? value : JSON.stringify(value);
}

/** Reads a value back; a JSON-quoted value that does not parse yields an error message instead. */
export function decodeInline(raw: string): { value: string } | { error: string } {
  const text = raw.trim();
  if (!text.startsWith('"')) return { value: text };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string') return { value };
  } catch {
    // fall through to the message below
  }
  return { error: `${text} starts with a quote but is not a valid JSON string (close the quote, or escape inner quotes as \\")` };
}

/** A free-text line that would read as a `##` section heading is escaped with one more backslash. */
const headingLike = /^\\*##(?!#)/;
const escapedHeading = /^\\+##(?!#)/;

export const isSectionHeading = (line: string) => /^##(?!#)/.test(line);

export function escapeTextLine(line: string): string {
  return headingLike.test(line) ? `\\${line}` : line;
}

export function unescapeTextLine(line: string): string {
  return escapedHeading.test(line) ? line.slice(1) : line;
}

/** Free text sits between one blank line after its heading and one before the next: the inverse of `textBody`. */
export function textBody(text: string): string[] {
  return ['', ...text.split('\n').map(escapeTextLine), ''];
}

export function readTextBody(lines: readonly string[]): string {
  let body = [...lines];
  if (body[0]?.trim() === '') body = body.slice(1);
  if (body.length > 0 && body[body.length - 1]!.trim() === '') body = body.slice(0, -1);
  return body.map(unescapeTextLine).join('\n');
}
