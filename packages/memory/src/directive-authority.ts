import type { EntryRow } from './rows.js';

/**
 * Directives are the person's: one they wrote (no source run) cannot be superseded, archived
 * or weakened by what a task proposes. A task's proposal that contradicts it is admitted
 * beside it and leaves it standing; only a person (`memory add`, `forget`) changes it.
 */
export function mayClose(row: EntryRow, proposal: { source?: { runId: string } | undefined }): boolean {
  const personsDirective = row.kind === 'directive' && row.source_run === null;
  return !(personsDirective && proposal.source !== undefined);
}
