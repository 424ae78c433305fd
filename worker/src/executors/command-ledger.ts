import type { CommandRun } from '@coordinate/protocol';
import type { ToolExecution } from '@coordinate/model';
import { treeFingerprint } from './tree-fingerprint.js';

/** The protocol's limit on a recorded run's text; the tool results of run_command stay well below it. */
const MAX_SHOWN_CHARS = 32_000;

/**
 * Every command a task ran, with the tool result the model was shown and the state of the working
 * tree right after it: what a verdict's evidence is checked against.
 */
export class CommandLedger {
  readonly runs: CommandRun[] = [];

  constructor(private readonly root: string) {}

  /** Records a `run_command` call that ran (a refused or malformed call has no exit code and is not a run). */
  async record(input: Record<string, unknown>, shown: ToolExecution & { exitCode?: number }): Promise<void> {
    if (shown.exitCode === undefined || typeof input.command !== 'string') return;
    const tree = await treeFingerprint(this.root);
    const excerpt = shown.content.length <= MAX_SHOWN_CHARS ? shown.content : `${shown.content.slice(0, MAX_SHOWN_CHARS - 60)}\n[… cut for the record …]`;
    this.runs.push({ command: input.command, exitCode: shown.exitCode, excerpt, ...(tree ? { tree } : {}) });
  }
}
