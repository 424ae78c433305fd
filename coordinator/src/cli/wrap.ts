import wrapAnsi from 'wrap-ansi';
import type { TerminalStream } from './context.js';

/**
 * Wraps each line of `text` at word boundaries to `columns` (colors kept); a wrapped line goes on
 * at its own indentation, so lists and indented paragraphs stay readable. Words longer than a line
 * are left whole rather than cut.
 */
export function wrapText(text: string, columns: number): string {
  return text
    .split('\n')
    .map((line) => {
      const indent = /^ */.exec(line)![0];
      const width = Math.max(20, columns - indent.length);
      return wrapAnsi(line.slice(indent.length), width, { hard: false, trim: true })
        .split('\n')
        .map((part) => indent + part)
        .join('\n');
    })
    .join('\n');
}

/** `text` wrapped to a terminal's width; unchanged for a pipe or a file, where the reader's own tools wrap. */
export function wrapFor(stream: Pick<TerminalStream, 'isTTY' | 'columns'>, text: string): string {
  return stream.isTTY && stream.columns ? wrapText(text, stream.columns) : text;
}
