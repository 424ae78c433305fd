import type { ZodProblem } from '@coordinate/protocol';
import { describeProblem, type PlanProblem } from '../errors.js';
import type { PlanMarkdownProblem } from './errors.js';
import type { ListField, TaskField, TaskLines } from './parse-task.js';

/** Where the plan-level parts sit in the person's text. */
export interface PlanLines {
  goal: number;
  summary: number;
  risksHeading?: number;
  risks: number[];
  tasks: TaskLines[];
  end: number;
}

const TASK_FIELDS = new Set<string>(['role', 'dependsOn', 'files', 'commands', 'acceptance', 'waitsFor']);

function taskLine(where: TaskLines, key: PropertyKey | undefined, index: PropertyKey | undefined): number {
  if (key === 'instructions') return where.instructions ?? where.heading;
  if (typeof key !== 'string' || !TASK_FIELDS.has(key)) return where.heading;
  const items = typeof index === 'number' ? where.items[key as ListField]?.[index] : undefined;
  return items ?? where.fields[key as TaskField] ?? where.heading;
}

/** Schema failures, each at the line of the value it names. */
export function locateSchemaIssues(issues: readonly ZodProblem[], lines: PlanLines, ids: readonly string[]): PlanMarkdownProblem[] {
  return issues.map((issue) => {
    const [top, index, key, item] = issue.path;
    if (top === 'tasks' && typeof index === 'number' && lines.tasks[index]) {
      const field = key === undefined ? '' : `${String(key)}${typeof item === 'number' ? ` item ${item + 1}` : ''}: `;
      return { line: taskLine(lines.tasks[index], key, item), message: `task "${ids[index]}": ${field}${issue.message}` };
    }
    if (top === 'tasks') return { line: lines.end, message: `the plan needs at least one task: add a "## <id>: <title>" section (${issue.message})` };
    if (top === 'risks') return { line: (typeof index === 'number' ? lines.risks[index] : undefined) ?? lines.risksHeading ?? lines.goal, message: `risks: ${issue.message}` };
    if (top === 'summary') return { line: lines.summary, message: `summary: ${issue.message}` };
    return { line: lines.goal, message: `goal: ${issue.message}` };
  });
}

/** Graph problems (duplicate ids, unknown dependencies, cycles), each at the line that causes it. */
export function locateGraphProblems(
  problems: readonly PlanProblem[],
  lines: PlanLines,
  tasks: readonly { id: string; dependsOn: readonly string[] }[],
): PlanMarkdownProblem[] {
  const headingOf = (id: string, occurrence = 0) => lines.tasks.filter((_, i) => tasks[i]!.id === id)[occurrence]?.heading ?? lines.goal;
  const dependsLineOf = (id: string, dep?: string) => {
    const where = lines.tasks[tasks.findIndex((t) => t.id === id && (dep === undefined || t.dependsOn.includes(dep)))];
    return where?.fields.dependsOn ?? where?.heading ?? lines.goal;
  };
  return problems.map((problem) => {
    const message = describeProblem(problem);
    switch (problem.kind) {
      case 'duplicate_id':
        return { line: headingOf(problem.id, 1), message };
      case 'unknown_dependency':
        return { line: dependsLineOf(problem.id, problem.dependsOn), message };
      case 'self_dependency':
        return { line: dependsLineOf(problem.id, problem.id), message };
      case 'cycle':
        return { line: dependsLineOf(problem.ids[0]!), message };
      case 'unverified_implementation':
        return { line: headingOf(problem.id), message };
    }
  });
}
