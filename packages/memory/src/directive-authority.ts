import type { EntryRow } from './rows.js';

/**
 * Directives are the person's: one they wrote (no source run) cannot be superseded, archived
 * or weakened by what a task proposes. A task's proposal that contradicts it is admitted
 * beside it and leaves it standing; only a person (`memory add`, `forget`) changes it.
 */
export function mayClose(row: EntryRow, proposal: { source?: { runId: string } | undefined }): boolean {
  return !(isPersonsDirective(row) && proposal.source !== undefined);
}

/**
 * A directive a task proposes is kept as `proposed`: not injected into prompts, not enforced on
 * tool calls, until a person accepts it. Otherwise one task could order every later run about.
 */
export function admittedStatus(kind: string, proposal: { source?: { runId: string } | undefined }): 'active' | 'proposed' {
  return kind === 'directive' && proposal.source !== undefined ? 'proposed' : 'active';
}

/** A directive a person wrote, which nothing a task or consolidation does may close or rewrite. */
export function isPersonsDirective(row: Pick<EntryRow, 'kind' | 'source_run'>): boolean {
  return row.kind === 'directive' && row.source_run === null;
}
