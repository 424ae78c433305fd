import type { TaskSpec } from '@coordinate/protocol';
import { declaredDependencies } from '../overlaps.js';
import type { Plan } from '../schema.js';
import { encodeInline, NONE, textBody } from './inline.js';

/** The note at the top of every plan.md: enough for a person to edit it without reading the docs. */
export const PLAN_MARKDOWN_HELP = `<!--
  This is a coordinate plan. Edit it, save, and close the editor to continue.
  - The "# " line is the goal; the text under it is the summary.
  - "## Risks" lists what could go wrong (optional).
  - Each "## <id>: <title>" section is one task, with these fields:
      - Role: research, implement or verify
      - Depends on: task ids separated by commas, or (none)
      - Files: / - Commands: / - Acceptance: optional lists, one "  - item" per line
      - Waits for: "<id>: <reason>" items coordinate added because two tasks write the
        same files; delete an item to let the tasks run at the same time
    and everything under "### Instructions" up to the next "## " heading is its instructions.
  - A text line that starts with "##" is written with a backslash in front (\\##).
  - A value that needs exact spacing or several lines is written as a JSON string ("...").
  The full format: docs/plan-format.md in the coordinate repository.
-->`;

type ListField = 'files' | 'commands' | 'acceptance';
const LIST_FIELDS: [ListField, string][] = [
  ['files', 'Files'],
  ['commands', 'Commands'],
  ['acceptance', 'Acceptance'],
];

function renderList(label: string, items: readonly string[] | undefined): string[] {
  if (items === undefined) return [];
  if (items.length === 0) return [`- ${label}: ${NONE}`];
  return [`- ${label}:`, ...items.map((item) => `  - ${encodeInline(item)}`)];
}

function renderTask(plan: Plan, task: TaskSpec): string[] {
  const declared = declaredDependencies(plan, task);
  const waits = (plan.serialized ?? []).filter((s) => s.task === task.id).map((s) => `${s.waitsFor}: ${s.reason}`);
  return [
    `## ${task.id}: ${encodeInline(task.title)}`,
    '',
    `- Role: ${task.role}`,
    `- Depends on: ${declared.length === 0 ? NONE : declared.join(', ')}`,
    ...LIST_FIELDS.flatMap(([key, label]) => renderList(label, task[key])),
    ...(waits.length > 0 ? renderList('Waits for', waits) : []),
    '',
    '### Instructions',
    ...textBody(task.instructions),
  ];
}

/** plan.md for a plan: `parsePlanMarkdown(renderPlanMarkdown(plan))` gives the same plan back. */
export function renderPlanMarkdown(plan: Plan): string {
  const lines = [PLAN_MARKDOWN_HELP, '', `# ${encodeInline(plan.goal)}`, ...textBody(plan.summary)];
  if (plan.risks !== undefined) {
    lines.push('## Risks', '', ...(plan.risks.length === 0 ? [NONE] : plan.risks.map((risk) => `- ${encodeInline(risk)}`)), '');
  }
  for (const task of plan.tasks) lines.push(...renderTask(plan, task));
  return `${lines.join('\n')}\n`;
}
