import type { Evidence, TaskResultBody, TaskSpec } from '@coordinate/protocol';
import { normalizeCommand, type VerdictCheck } from '@coordinate/tools';

const MAX_QUOTED_COMMANDS = 5;
const MAX_EXCERPT_CHARS = 2500;
const MAX_SECTION_CHARS = 4000;
/** TaskSpec allows 20 000; a little is left for the caller's own framing. */
export const MAX_INSTRUCTION_CHARS = 19_000;

/** A fence longer than any run of backticks inside, so quoted output cannot close it early. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

/** Test runners print their verdict last, so a long output keeps its end. */
function tail(text: string, max: number): string {
  return text.length <= max ? text : `[… ${text.length - max} characters before this …]\n${text.slice(-max)}`;
}

/**
 * The commands that show the failure: the failing runs the worker really made (the last run of each
 * command), else the claims that were not verified, else the claims themselves.
 */
function failingEvidence(result: TaskResultBody, check: VerdictCheck | undefined): Evidence[] {
  const lastRuns = new Map<string, Evidence>();
  for (const run of result.commandsRun ?? []) lastRuns.set(normalizeCommand(run.command), run);
  const failedRuns = [...lastRuns.values()].filter((run) => run.exitCode !== 0);
  if (failedRuns.length > 0) return failedRuns;
  const unverified = check?.items.filter((item) => !item.verified) ?? [];
  if (unverified.length > 0) return unverified;
  return result.evidence ?? [];
}

function quoteEvidence(items: Evidence[]): string {
  if (items.length === 0) return 'No failing command was recorded; run the checks below to see the failure.';
  const shown = items.slice(0, MAX_QUOTED_COMMANDS).map((item) => `$ ${item.command}  (exit code ${item.exitCode})\n${fenced(tail(item.excerpt, MAX_EXCERPT_CHARS))}`);
  const more = items.length > MAX_QUOTED_COMMANDS ? `\n(${items.length - MAX_QUOTED_COMMANDS} more failing commands not shown)` : '';
  return shown.join('\n\n') + more;
}

export interface FixInstructionsInput {
  verify: Pick<TaskSpec, 'id' | 'title' | 'instructions' | 'acceptance' | 'commands'>;
  result: TaskResultBody;
  check?: VerdictCheck;
  implementTasks: readonly Pick<TaskSpec, 'id' | 'title'>[];
  round: number;
}

/** What the fix task is told: which check failed, with the failing commands and their output quoted. */
export function fixInstructions(input: FixInstructionsInput): string {
  const { verify, result, check, implementTasks, round } = input;
  const sections = [
    `The verification "${verify.title}" (task ${verify.id}) failed. This is fix round ${round}: change the code so that it passes. ` +
      'Fix the cause; do not weaken, skip or delete the checks.',
    `What the verification reported:\n${fenced(tail(result.summary, MAX_SECTION_CHARS))}`,
  ];
  if (check && !check.verified && check.reason) sections.push(`Its verdict could not be trusted: ${check.reason}.`);
  sections.push(`Failing commands, with their exit codes and output as recorded:\n\n${quoteEvidence(failingEvidence(result, check))}`);
  if (implementTasks.length > 0) sections.push(`The work under test:\n${implementTasks.map((task) => `- ${task.id}: ${task.title}`).join('\n')}`);
  sections.push(`What the verification checks:\n${tail(verify.instructions, MAX_SECTION_CHARS)}`);
  if (verify.acceptance?.length) sections.push(`Acceptance criteria:\n${verify.acceptance.map((line) => `- ${line}`).join('\n')}`);
  if (verify.commands?.length) sections.push(`Commands that must pass:\n${verify.commands.map((line) => `- ${line}`).join('\n')}`);
  return sections.join('\n\n').slice(0, MAX_INSTRUCTION_CHARS);
}

export const REVERIFY_PREFIX = /^Re-check after fix round \d+ \(task [^)]*\)\.\n\n/;

export function reverifyInstructions(originalInstructions: string, round: number, fixId: string): string {
  return `Re-check after fix round ${round} (task ${fixId}).\n\n${originalInstructions}`.slice(0, MAX_INSTRUCTION_CHARS);
}
