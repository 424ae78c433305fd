import type { LeaseWait, MergeCheckFailure, MergeConflictContext, MemorySnippet, Role, TaskContext, TaskSpec } from '@coordinate/protocol';

const SHARED_RULES = [
  'You are one worker of a team that carries out a reviewed plan, one task each. Work only on your task.',
  'Paths are relative to your task root and cannot leave it. Tools answer with errors you can read: correct the call and go on.',
  'Keep notes others may need with scratchpad_write; read the notes of finished tasks with scratchpad_read.',
  'When the task is done, or cannot be done, call complete_task with status and a summary. Nothing else ends the task.',
];

const ROLE_RULES: Record<Role, string[]> = {
  research: [
    'Your role is research: read, list and search files, and report what you find. You do not edit files or run commands.',
    'Put your findings in the complete_task summary and in scratchpad notes, naming files and lines.',
  ],
  implement: [
    'Your role is implement: change the code in your own worktree with write_file and edit_file, following the instructions and acceptance criteria.',
    'Read a file before you edit it, keep changes to what the task needs, and summarize them in complete_task.',
  ],
  verify: [
    "Your role is verify: run the project's commands (tests, build, lint) with run_command and judge the result.",
    'complete_task must carry evidence: each command you ran, its exit code and an excerpt of its output. A claim without a matching command counts as a failure.',
  ],
};

/** The system prompt of a role: the same for every task of the role, so it is read from the prompt cache. */
export function systemPromptFor(role: Role): string {
  return [...SHARED_RULES, ...ROLE_RULES[role]].join('\n');
}

export interface TaskPromptInput {
  task: TaskSpec;
  role?: Role;
  context: Pick<TaskContext, 'dependencies' | 'memory' | 'conflict' | 'checkFailure' | 'leaseWait'>;
  /** Tokens the user prompt may use (about four characters each). */
  tokenBudget: number;
}

const list = (title: string, items: string[] | undefined) => (items?.length ? [`## ${title}`, ...items.map((i) => `- ${i}`), ''] : []);

function memoryLine(entry: MemorySnippet): string {
  const caution = entry.needsRevalidation ? ' (may be stale: check before relying on it)' : '';
  return `- [${entry.kind}] ${entry.summary}${caution}`;
}

/** A fence longer than any backtick run inside, so a patch can never close it early. */
function fenced(text: string, language: string): string {
  const fence = '`'.repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((run) => run.length + 1)));
  return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** What a resolution task must know of the merge conflict it resolves; part of the task itself, so never cut for the budget. */
function conflictSection(conflict: MergeConflictContext): string[] {
  const met = conflict.metTasks.length > 0 ? conflict.metTasks.map((task) => `${task.id} (${task.title})`).join(', ') : 'work merged meanwhile';
  return [
    '## Merge conflict to resolve',
    `Attempt ${conflict.attempt} of the conflicting task could not be merged: its change conflicts with the work of ${met}, already on the run branch. ` +
      `You start from the run branch as it is now. The conflicting work is kept on the branch ${conflict.keptAt}.`,
    '',
    'Conflicting files:',
    ...conflict.files.map((file) => `- ${file.path} (${file.kind})`),
    '',
    'Read each of these files as it is now before changing it, keep the work already there, and add what the conflicting change meant to do. ' +
      'If nothing is left to do, call complete_task with status "succeeded" and say why in the summary.',
    '',
    '### The conflicting change',
    fenced(conflict.ownPatch, 'diff'),
    '',
    '### What the run branch changed in these files meanwhile',
    fenced(conflict.runBranchChange, 'diff'),
    '',
  ];
}

/** What an attempt whose earlier merge broke the run branch's check must know; never cut for the budget. */
function checkFailureSection(failure: MergeCheckFailure): string[] {
  return [
    "## The run branch's check failed after your earlier attempt",
    `Attempt ${failure.attempt} of this task merged cleanly, but then the project's check \`${failure.command}\` failed on the merged tree ` +
      `(${failure.exitCode === null ? 'it was stopped before it finished' : `exit code ${failure.exitCode}`}), so the merge was taken back. ` +
      'This attempt continues from your earlier work. Fix what the output shows so that the check passes, then complete the task.',
    '',
    '### The end of its output',
    fenced(failure.output, 'text'),
    '',
  ];
}

/** What an attempt after one that waited for a file lease must know: the file is free now, with the holder's work in it. */
function leaseWaitSection(wait: LeaseWait): string[] {
  return [
    '## The file you waited for is free',
    `Attempt ${wait.attempt} of this task was refused ${wait.path}, leased by task ${wait.holder}, and ended to wait for it. ` +
      `${wait.holder} has finished since: this attempt starts from the run branch with its work. Read ${wait.path} again before you change it.`,
    '',
  ];
}

/**
 * The prompts of one task. The task itself (id, title, instructions, acceptance criteria, files,
 * commands, and a merge conflict of its earlier attempt) is always whole; what surrounds it is added by importance while it fits the budget:
 * dependency summaries first, then team memory, then the names of dependency notes.
 */
export function buildTaskPrompt({ task, role = task.role, context, tokenBudget }: TaskPromptInput): { system: string; user: string } {
  const core = [
    `Task id: ${task.id}`,
    `Title: ${task.title}`,
    `Role: ${role}`,
    '',
    '## Instructions',
    task.instructions,
    '',
    ...list('Acceptance criteria', task.acceptance),
    ...list('Files', task.files),
    ...list('Commands', task.commands),
    ...(context.conflict ? conflictSection(context.conflict) : []),
    ...(context.checkFailure ? checkFailureSection(context.checkFailure) : []),
    ...(context.leaseWait ? leaseWaitSection(context.leaseWait) : []),
  ].join('\n');

  // Headings and the note on what was left out take a little room of their own.
  let room = tokenBudget * 4 - core.length - 300;
  const take = (text: string): boolean => {
    if (text.length > room) return false;
    room -= text.length;
    return true;
  };
  const omitted: string[] = [];

  const dependencies = context.dependencies.map((dep) => {
    const head = `### ${dep.id}: ${dep.title} (${dep.role}, ${dep.outcome})\n`;
    const full = `${head}${dep.summary}\n`;
    if (take(full)) return full;
    // A summary too long for what is left is cut rather than dropped: its start is the most useful part.
    const keep = room - head.length - 30;
    const cut = `${head}${dep.summary.slice(0, keep)}… (cut for length)\n`;
    if (keep > 200 && take(cut)) return cut;
    omitted.push(`summary of ${dep.id}`);
    return undefined;
  });
  const memory = context.memory.map((entry) => (take(memoryLine(entry) + '\n') ? memoryLine(entry) : undefined));
  const droppedMemory = memory.filter((m) => m === undefined).length;
  if (droppedMemory > 0) omitted.push(`${droppedMemory} team memory entr${droppedMemory === 1 ? 'y' : 'ies'}`);
  const notes = context.dependencies.map((dep, i) => {
    if (!dep.notes?.length || dependencies[i] === undefined) return '';
    const line = `Notes: ${dep.notes.join(', ')}\n`;
    return take(line) ? line : '';
  });

  const sections = [core];
  const depTexts = dependencies.flatMap((text, i) => (text === undefined ? [] : [text + notes[i]]));
  if (depTexts.length > 0) sections.push(['## Finished dependencies', ...depTexts].join('\n'));
  const memTexts = memory.filter((m): m is string => m !== undefined);
  if (memTexts.length > 0) sections.push(['## Team memory', ...memTexts].join('\n'));
  if (omitted.length > 0) sections.push(`(Left out to fit the prompt budget: ${omitted.join('; ')}. The scratchpad holds the full notes.)`);
  return { system: systemPromptFor(role), user: sections.join('\n') };
}
