import { stripVTControlCharacters } from 'node:util';
import { redactDeep } from '@coordinate/logging';

/** C0 and C1 controls and DEL, except newline and tab. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** A line that starts with `::` is a GitHub Actions workflow command in a CI log. */
const WORKFLOW_COMMAND = /^(\s*)::/gm;

/**
 * Text from the model or a repository made safe for a terminal or a CI log: escape sequences
 * (colours, cursor moves, OSC 52 clipboard writes) and other control characters but newline
 * and tab are removed, and `::` at a line start becomes `\::` so it is not a workflow command.
 */
export function safeText(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROL, '').replace(WORKFLOW_COMMAND, '$1\\::');
}

/** `safeText`, and for Markdown (report.md, the step summary): raw HTML and images shown as text. */
export function safeMarkdown(text: string): string {
  return safeText(text).replace(/</g, '&lt;').replace(/!\[/g, '!\\[');
}

/**
 * A copy of a value (a plan, a report, an event) with every string passed through `clean`,
 * so a renderer that adds its own colours works on clean data only.
 */
export function sanitizeDeep<T>(value: T, clean: (text: string) => string = safeText): T {
  return redactDeep(value, clean);
}
