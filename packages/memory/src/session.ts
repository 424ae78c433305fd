import type { Evidence, ProgressEvent } from '@coordinate/protocol';
import type { MemoryProposal } from './schema.js';

export interface SessionRecord {
  runId: string;
  taskId: string;
  title?: string;
  summary?: string;
  transcriptEvents?: readonly ProgressEvent[];
  changedFiles?: readonly string[];
  commandsRun?: readonly Evidence[];
}

const MAX_FILES_LISTED = 12;
const ERROR_LINE = /^.*\b(error|Error|ERR!|failed|FAILED|Cannot|cannot|not found|TS\d{4}|E[A-Z]{3,})\b.*$/m;

const errorLine = (text: string): string | undefined => text.match(ERROR_LINE)?.[0].trim().slice(0, 300);

/** Commands are compared without their volatile arguments (paths after a test runner, for instance). */
const commandKey = (command: string) => command.trim().split(/\s+/).slice(0, 3).join(' ');

/**
 * What a finished task leaves for the next one: the files it touched, the errors it met (and what
 * got past them), and the commands that worked. Proposals go through admission like any other.
 */
export function extractSessionMemories(record: SessionRecord): MemoryProposal[] {
  const source = { runId: record.runId, taskId: record.taskId };
  const label = record.title ?? record.taskId;
  const proposals: MemoryProposal[] = [];
  const files = [...new Set(record.changedFiles ?? [])];
  if (files.length > 0) {
    const listed = files.slice(0, MAX_FILES_LISTED).join(', ');
    const more = files.length > MAX_FILES_LISTED ? ` and ${files.length - MAX_FILES_LISTED} more` : '';
    proposals.push({
      kind: 'fact',
      title: `Files involved in: ${label}`.slice(0, 200),
      text: `Work on "${label}" touched ${listed}${more}.${record.summary ? ` ${record.summary.slice(0, 500)}` : ''}`,
      files: files.slice(0, 50),
      tags: ['session'],
      source,
    });
  }
  const commands = record.commandsRun ?? [];
  const worked = new Map<string, string>();
  for (const run of commands) if (run.exitCode === 0) worked.set(commandKey(run.command), run.command);
  for (const command of worked.values()) {
    proposals.push({ kind: 'procedure', title: `\`${command}\` works`.slice(0, 200), text: `Running \`${command}\` succeeded (exit code 0).`, tags: ['command'], source });
  }
  const seenErrors = new Set<string>();
  for (const run of commands) {
    if (run.exitCode === 0) continue;
    const line = errorLine(run.excerpt);
    if (!line || seenErrors.has(line)) continue;
    seenErrors.add(line);
    const fixed = worked.has(commandKey(run.command)) ? ' It passed later in the same task, after a fix.' : '';
    proposals.push({
      kind: 'pitfall',
      title: `\`${commandKey(run.command)}\` failed: ${line}`.slice(0, 200),
      text: `\`${run.command}\` exited with ${run.exitCode}: ${line}.${fixed}`,
      tags: ['error'],
      source,
    });
  }
  for (const event of record.transcriptEvents ?? []) {
    if (event.kind !== 'tool_result' || event.ok) continue;
    const line = errorLine(event.summary);
    if (!line || seenErrors.has(line)) continue;
    seenErrors.add(line);
    proposals.push({ kind: 'pitfall', title: `${event.tool} failed: ${line}`.slice(0, 200), text: `The ${event.tool} tool failed: ${line}`, tags: ['error'], source });
  }
  return proposals;
}
