/**
 * Single-line values (goal, titles, list items) are written as they are when that reads back
 * exactly; anything else (a newline, edge whitespace, a leading quote, the "(none)" marker) is
 * written as a JSON string, so every value survives a round trip.
 */
export const NONE = '(none)';

const plain = (value: string) =>
  value.length > 0 && value === value.trim() && !value.startsWith('"') && value !== NONE && !/[\u0000-\u001f\u007f\u2028\u2029]/.test(value) && !value.includes('<!--');

/** A JSON-quoted value writes `<!--` as `\u003c!--`, so it cannot open an HTML comment that hides what follows. */
export function encodeInline(value: string): string {
  return plain(value) ? value : JSON.stringify(value).replace(/<!--/g, '\\u003c!--');
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

/** A code fence line, bare or already escaped with backslashes. */
const fenceLine = /^(\s{0,3})(\\*)(`{3,}|~{3,})/;
/** `<!--` opens an HTML comment that would hide the rest of the file; `<!\--` shows as the same text. */
const commentOpen = /<!(\\*)--/g;

/**
 * Escapes a free-text line so it renders as the text it is and nothing more: a `##` line gets a
 * backslash (it would be a heading), so does every `<!--` (it would hide what follows), and so
 * does a fence line that is escaped already or, with `openFence`, one that would leave a code
 * fence open over the headings after it.
 */
export function escapeTextLine(line: string, openFence = false): string {
  const text = line.replace(commentOpen, '<!\\$1--');
  const fence = fenceLine.exec(text);
  if (fence && (fence[2] !== '' || openFence)) return `${fence[1]}\\${text.slice(fence[1]!.length)}`;
  return headingLike.test(text) ? `\\${text}` : text;
}

export function unescapeTextLine(line: string): string {
  const text = line.replace(/<!\\(\\*)--/g, '<!$1--');
  const fence = fenceLine.exec(text);
  if (fence && fence[2] !== '') return `${fence[1]}${text.slice(fence[1]!.length + 1)}`;
  return escapedHeading.test(text) ? text.slice(1) : text;
}

/**
 * Free text sits between one blank line after its heading and one before the next: the inverse
 * of `readTextBody`. Text whose code fences do not pair up has them all escaped, so no fence
 * stays open over the tasks after it.
 */
export function textBody(text: string): string[] {
  const lines = text.split('\n');
  const unpaired = lines.filter((line) => /^\s{0,3}(`{3,}|~{3,})/.test(line)).length % 2 === 1;
  return ['', ...lines.map((line) => escapeTextLine(line, unpaired)), ''];
}

export function readTextBody(lines: readonly string[]): string {
  let body = [...lines];
  if (body[0]?.trim() === '') body = body.slice(1);
  if (body.length > 0 && body[body.length - 1]!.trim() === '') body = body.slice(0, -1);
  return body.map(unescapeTextLine).join('\n');
}
