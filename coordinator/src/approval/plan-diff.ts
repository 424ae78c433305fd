import { createTwoFilesPatch } from 'diff';
import { renderPlanMarkdown, type Plan } from '@coordinate/plan';
import type { Style } from '../report/style.js';

/** The change between two plans as a unified diff of their plan.md; empty when nothing changed. */
export function planDiff(before: Plan, after: Plan, style: Style): string {
  const patch = createTwoFilesPatch('plan.md', 'plan.md', renderPlanMarkdown(before), renderPlanMarkdown(after), 'before', 'after', { context: 2 });
  const lines = patch.split('\n').filter((line) => !/^={3,}$/.test(line) && !line.startsWith('Index:'));
  if (!lines.some((line) => line.startsWith('@@'))) return '';
  return lines
    .map((line) => {
      if (line.startsWith('+') && !line.startsWith('+++')) return style.green(line);
      if (line.startsWith('-') && !line.startsWith('---')) return style.red(line);
      if (line.startsWith('@@')) return style.cyan(line);
      return line;
    })
    .join('\n')
    .trimEnd();
}
