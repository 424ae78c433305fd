import { zodProblems } from '@coordinate/protocol';
import { findPlanProblems } from '../graph.js';
import { Plan, type Serialization } from '../schema.js';
import { PlanMarkdownError, type PlanMarkdownProblem } from './errors.js';
import { findHiddenContent } from './hidden.js';
import { decodeInline, isSectionHeading, NONE, readTextBody } from './inline.js';
import { locateGraphProblems, locateSchemaIssues, type PlanLines } from './locate.js';
import { parseTaskSection, type RawTask } from './parse-task.js';

interface Section {
  heading: string;
  line: number;
  body: string[];
}

/** Splits the text at `##` headings; what comes before the first one is the header. */
function splitSections(lines: readonly string[]): { header: string[]; sections: Section[] } {
  const sections: Section[] = [];
  const header: string[] = [];
  lines.forEach((text, i) => {
    if (isSectionHeading(text)) sections.push({ heading: text, line: i + 1, body: [] });
    else (sections.length === 0 ? header : sections[sections.length - 1]!.body).push(text);
  });
  return { header, sections };
}

/** The header: an optional `<!-- … -->` note, the `# <goal>` line, then the summary as free text. */
function parseHeader(header: readonly string[], problems: PlanMarkdownProblem[]): { goal: string; summary: string; goalLine: number } {
  let inComment = false;
  for (let i = 0; i < header.length; i++) {
    const text = header[i]!;
    if (inComment || text.trimStart().startsWith('<!--')) {
      inComment = !text.includes('-->');
      continue;
    }
    if (text.trim() === '') continue;
    const goal = /^#\s+(.*)$/.exec(text);
    if (!goal) {
      problems.push({ line: i + 1, message: `expected the goal as a "# <goal>" heading here, found "${text.trim()}"` });
      return { goal: '', summary: '', goalLine: i + 1 };
    }
    const decoded = decodeInline(goal[1]!);
    if ('error' in decoded) problems.push({ line: i + 1, message: `goal: ${decoded.error}` });
    return { goal: 'value' in decoded ? decoded.value : '', summary: readTextBody(header.slice(i + 1)), goalLine: i + 1 };
  }
  problems.push({ line: 1, message: 'missing the goal: the plan must start with a "# <goal>" heading' });
  return { goal: '', summary: '', goalLine: 1 };
}

function parseRisks(section: Section, problems: PlanMarkdownProblem[]): { risks: string[]; lines: number[] } {
  const risks: string[] = [];
  const lines: number[] = [];
  section.body.forEach((text, i) => {
    const line = section.line + 1 + i;
    if (text.trim() === '' || text.trim() === NONE) return;
    const item = /^[-*]\s+(.*)$/.exec(text);
    const decoded = item ? decodeInline(item[1]!) : { error: `"${text.trim()}" is not a list item; write each risk as "- <risk>"` };
    if ('error' in decoded) problems.push({ line, message: `risks: ${decoded.error}` });
    else {
      risks.push(decoded.value);
      lines.push(line);
    }
  });
  return { risks, lines };
}

const WAIT_ITEM = /^([^:\s]+)\s*:\s*(\S.*)$/;

/**
 * "Waits for" items become dependencies, each recorded with its reason, so a wait the person
 * deleted is gone and one they kept stays explained. Tasks' `dependsOn` gain the waited-for ids.
 */
function readWaits(tasks: RawTask[], where: PlanLines, problems: PlanMarkdownProblem[]): Serialization[] {
  const serialized: Serialization[] = [];
  tasks.forEach((task, index) => {
    (task.waitsFor ?? []).forEach((item, i) => {
      const wait = WAIT_ITEM.exec(item);
      if (!wait) {
        const line = where.tasks[index]!.items.waitsFor?.[i] ?? where.tasks[index]!.heading;
        problems.push({ line, message: `task "${task.id}": "${item}" is not a wait; write "<task id>: <reason>", or delete the line to drop the wait` });
        return;
      }
      if (!task.dependsOn.includes(wait[1]!)) task.dependsOn.push(wait[1]!);
      serialized.push({ task: task.id, waitsFor: wait[1]!, reason: wait[2]! });
    });
  });
  return serialized;
}

const TASK_HEADING = /^##\s+([^:\s]+)\s*:(.*)$/;

/**
 * Reads plan.md back into a plan. Anything wrong, from a misspelt field to a cycle between
 * tasks, raises one PlanMarkdownError that lists every problem with its 1-based line.
 */
export function parsePlanMarkdown(text: string): Plan {
  const all = text.replace(/\r\n/g, '\n').split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const problems: PlanMarkdownProblem[] = findHiddenContent(all);
  const { header, sections } = splitSections(all);
  const { goal, summary, goalLine } = parseHeader(header, problems);
  const where: PlanLines = { goal: goalLine, summary: goalLine + 1, risks: [], tasks: [], end: all.length };
  const tasks: RawTask[] = [];
  let risks: string[] | undefined;

  for (const section of sections) {
    if (/^##\s+risks\s*:?\s*$/i.test(section.heading)) {
      if (where.risksHeading !== undefined) problems.push({ line: section.line, message: `"## Risks" appears twice (also on line ${where.risksHeading})` });
      const parsed = parseRisks(section, problems);
      risks = parsed.risks;
      where.risksHeading = section.line;
      where.risks = parsed.lines;
      continue;
    }
    const head = TASK_HEADING.exec(section.heading);
    if (!head) {
      problems.push({ line: section.line, message: `"${section.heading}" is not a task heading; write "## <task id>: <title>" (or "## Risks")` });
      continue;
    }
    const title = decodeInline(head[2]!);
    if ('error' in title) problems.push({ line: section.line, message: `task "${head[1]}": title: ${title.error}` });
    const parsed = parseTaskSection({ id: head[1]!, title: 'value' in title ? title.value : '', line: section.line }, section.body, section.line + 1, problems);
    tasks.push(parsed.task);
    where.tasks.push(parsed.where);
  }
  const serialized = readWaits(tasks, where, problems);
  if (problems.length > 0) throw new PlanMarkdownError(problems);

  const ids = tasks.map((t) => t.id);
  const plan = { goal, summary, tasks: tasks.map(({ waitsFor: _, ...task }) => task), ...(risks === undefined ? {} : { risks }) };
  const result = Plan.safeParse(serialized.length > 0 ? { ...plan, serialized } : plan);
  if (!result.success) throw new PlanMarkdownError(locateSchemaIssues(zodProblems(result.error), where, ids));
  const graphProblems = findPlanProblems(result.data.tasks);
  if (graphProblems.length > 0) throw new PlanMarkdownError(locateGraphProblems(graphProblems, where, result.data.tasks));
  return result.data;
}
