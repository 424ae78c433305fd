import { formatZodError, Role } from '@coordinate/protocol';
import type { PlanMarkdownProblem } from './errors.js';
import { decodeInline, NONE, readTextBody } from './inline.js';

export type ListField = 'files' | 'commands' | 'acceptance' | 'waitsFor';
export type TaskField = 'role' | 'dependsOn' | ListField;

/** Where each part of a task sits in the person's text, so a problem can name its line. */
export interface TaskLines {
  heading: number;
  fields: Partial<Record<TaskField, number>>;
  items: Partial<Record<ListField, number[]>>;
  instructions?: number;
}

export interface RawTask {
  id: string;
  title: string;
  role?: string;
  dependsOn: string[];
  files?: string[];
  commands?: string[];
  acceptance?: string[];
  /** `<id>: <reason>` items: dependencies that serialization added, each with its reason. */
  waitsFor?: string[];
  instructions?: string;
}

const FIELD_NAMES: Record<string, TaskField> = {
  role: 'role',
  'depends on': 'dependsOn',
  dependson: 'dependsOn',
  files: 'files',
  commands: 'commands',
  acceptance: 'acceptance',
  'waits for': 'waitsFor',
  waitsfor: 'waitsFor',
};
const LABELS: Record<TaskField, string> = {
  role: 'Role',
  dependsOn: 'Depends on',
  files: 'Files',
  commands: 'Commands',
  acceptance: 'Acceptance',
  waitsFor: 'Waits for',
};

const FIELD_LINE = /^[-*]\s+([A-Za-z][A-Za-z ]*?)\s*:(.*)$/;
const ITEM_LINE = /^\s+[-*]\s+(.*)$/;
const INSTRUCTIONS_HEADING = /^###\s+instructions\s*:?\s*$/i;

/**
 * Reads one `## <id>: <title>` section. `lines` are the section's lines after the heading;
 * `first` is the 1-based number of the first of them.
 */
export function parseTaskSection(
  head: { id: string; title: string; line: number },
  lines: readonly string[],
  first: number,
  problems: PlanMarkdownProblem[],
): { task: RawTask; where: TaskLines } {
  const task: RawTask = { id: head.id, title: head.title, dependsOn: [] };
  const where: TaskLines = { heading: head.line, fields: {}, items: {} };
  const problem = (line: number, message: string) => problems.push({ line, message: `task "${head.id}": ${message}` });
  let list: ListField | undefined;

  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const line = first + i;
    if (INSTRUCTIONS_HEADING.test(text)) {
      task.instructions = readTextBody(lines.slice(i + 1));
      where.instructions = line;
      break;
    }
    if (text.trim() === '') continue;
    const item = ITEM_LINE.exec(text);
    if (item) {
      if (list === undefined) {
        problem(line, `"${item[1]!.trim()}" is an indented item, but it follows no "- Files:", "- Commands:", "- Acceptance:" or "- Waits for:" line`);
        continue;
      }
      const decoded = decodeInline(item[1]!);
      if ('error' in decoded) problem(line, decoded.error);
      else {
        (task[list] ??= []).push(decoded.value);
        (where.items[list] ??= []).push(line);
      }
      continue;
    }
    const fieldMatch = FIELD_LINE.exec(text);
    const field = fieldMatch ? FIELD_NAMES[fieldMatch[1]!.toLowerCase().replace(/\s+/g, ' ')] : undefined;
    if (!fieldMatch || field === undefined) {
      list = undefined;
      problem(
        line,
        fieldMatch
          ? `unknown field "${fieldMatch[1]}" (expected Role, Depends on, Files, Commands, Acceptance or Waits for)`
          : `"${text.trim()}" is not a field; write "- Role: …", "- Depends on: …", a list field, or put text under "### Instructions"`,
      );
      continue;
    }
    if (where.fields[field] !== undefined) problem(line, `"${LABELS[field]}" is given twice (also on line ${where.fields[field]})`);
    where.fields[field] = line;
    list = readField(task, field, fieldMatch[2]!.trim(), (message) => problem(line, message));
    // an item written on the field's own line ("- Files: a.ts") sits on that line
    if (list !== undefined && task[list]!.length > 0) where.items[list] = [line];
  }

  if (where.fields.role === undefined) problem(head.line, 'missing the "- Role: research | implement | verify" line');
  if (where.instructions === undefined) problem(head.line, 'missing the "### Instructions" heading (leave the text under it empty if there is nothing to say)');
  return { task, where };
}

/** Stores one field's value; returns the list field that indented items now belong to, if any. */
function readField(task: RawTask, field: TaskField, value: string, problem: (message: string) => void): ListField | undefined {
  if (field === 'role') {
    const role = Role.safeParse(value);
    if (role.success) task.role = role.data;
    else problem(`role: ${formatZodError(role.error)}`);
    return undefined;
  }
  if (field === 'dependsOn') {
    task.dependsOn = value === NONE ? [] : value.split(',').map((id) => id.trim()).filter((id) => id !== '');
    return undefined;
  }
  task[field] = [];
  if (value === NONE || value === '') return value === NONE ? undefined : field;
  const decoded = decodeInline(value);
  if ('error' in decoded) problem(decoded.error);
  else task[field].push(decoded.value);
  return field;
}
