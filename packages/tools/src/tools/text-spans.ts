/** Where a piece of text was found: [start, end) in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every place `needle` occurs in `content`, not overlapping. A model writes "\n" even where the file
 * spells a line end "\r\n", so when the exact text is not there, each line end of the needle matches
 * either spelling (files with mixed line ends included).
 */
export function findSpans(content: string, needle: string): Span[] {
  const exact: Span[] = [];
  for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + needle.length)) exact.push({ start: at, end: at + needle.length });
  if (exact.length > 0 || !/\r?\n/.test(needle) || !content.includes('\r\n')) return exact;
  const pattern = new RegExp(needle.split(/\r?\n/).map(escapeRegExp).join('\\r?\\n'), 'g');
  return [...content.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

/**
 * `content` with each span replaced by `replacement`, whose line ends are spelled as the file spells
 * them there: as in the replaced text, or, for a piece within one line, as that line (or, on a last line without one, the line before) ends. Splices
 * instead of String.replace, whose "$&"-style patterns would rewrite the model's text.
 */
export function replaceSpans(content: string, spans: readonly Span[], replacement: string): string {
  let result = '';
  let from = 0;
  for (const span of spans) {
    result += content.slice(from, span.start) + withLineEnds(replacement, lineEndAt(content, span));
    from = span.end;
  }
  return result + content.slice(from);
}

function lineEndAt(content: string, span: Span): string {
  const replaced = content.slice(span.start, span.end);
  const inside = /\r?\n/.exec(replaced);
  if (inside) return inside[0];
  const next = content.indexOf('\n', span.end);
  const nearest = next !== -1 ? next : content.lastIndexOf('\n', span.start);
  return nearest > 0 && content[nearest - 1] === '\r' ? '\r\n' : '\n';
}

const withLineEnds = (text: string, lineEnd: string) => text.replace(/\r?\n/g, lineEnd);
