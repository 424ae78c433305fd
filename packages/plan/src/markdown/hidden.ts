import type { PlanMarkdownProblem } from './errors.js';
import { isSectionHeading } from './inline.js';

/** Characters that render as nothing (zero-width, bidirectional overrides, soft hyphen) or not at all (controls but tab). */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * What in plan.md a reviewer would not see as a task once it is rendered (in a pull request,
 * say): a task heading inside an HTML comment or a code fence, an HTML comment never closed,
 * and invisible characters. Each is a problem on its 1-based line: a plan file is the
 * approval, so nothing in it may run unseen. (`renderPlanMarkdown` escapes the text it writes
 * so that none of this arises from a plan's own text.)
 */
export function findHiddenContent(lines: readonly string[]): PlanMarkdownProblem[] {
  const problems: PlanMarkdownProblem[] = [];
  let comment: number | undefined;
  let fence: { marker: string; line: number } | undefined;
  lines.forEach((text, i) => {
    const line = i + 1;
    const invisible = INVISIBLE.exec(text);
    if (invisible) problems.push({ line, message: `an invisible character (${codePoint(invisible[0])}) would hide text when plan.md is rendered; remove it` });
    if (comment !== undefined) {
      if (isSectionHeading(text)) problems.push({ line, message: `a heading inside the HTML comment opened on line ${comment} would not show when plan.md is rendered` });
      if (text.includes('-->')) comment = undefined;
      return;
    }
    if (fence) {
      if (text.trimStart().startsWith(fence.marker)) fence = undefined;
      else if (isSectionHeading(text)) problems.push({ line, message: `a heading inside the code fence opened on line ${fence.line} would show as code, not as a task; close the fence first` });
      return;
    }
    const opens = FENCE.exec(text);
    if (opens) {
      fence = { marker: opens[1]!, line };
      return;
    }
    const at = text.lastIndexOf('<!--');
    if (at >= 0 && !text.slice(at).includes('-->')) comment = line;
  });
  if (comment !== undefined) problems.push({ line: comment, message: 'this HTML comment is never closed, so everything after it would be hidden' });
  return problems;
}
