import type { DreamReport, ImportPlan, MemoryEntry, RetrievedEntry } from '@coordinate/memory';

function flags(entry: MemoryEntry): string {
  const notes = [
    ...(entry.status === 'proposed' ? [`proposed by a task, not in force until \`coordinate memory accept ${entry.id}\``] : []),
    ...(entry.status !== 'active' && entry.status !== 'proposed' ? [entry.status] : []),
    ...(entry.needsRevalidation ? ['needs revalidation'] : []),
  ];
  return notes.length > 0 ? `  (${notes.join(', ')})` : '';
}

export function formatList(entries: readonly MemoryEntry[]): string {
  if (entries.length === 0) return 'No memory entries.';
  return entries.map((entry) => `${entry.id}  ${entry.kind.padEnd(10)}  ${entry.title}${flags(entry)}`).join('\n');
}

export function formatSearch(results: readonly RetrievedEntry[]): string {
  if (results.length === 0) return 'Nothing relevant in team memory.';
  return results.map((result) => `${result.score.toFixed(3)}  ${result.summary}`).join('\n');
}

export function formatDream(report: DreamReport): string {
  const changes = report.changes.length === 1 ? 'one change' : `${report.changes.length} changes`;
  const lines = report.changes.map((change) => {
    switch (change.action) {
      case 'merge':
        return `merge ${change.merged.join(', ')} into ${change.keep} (${change.reason})`;
      case 'supersede':
        return `close ${change.closed}, keep ${change.keep} (${change.reason})`;
      case 'archive':
        return `archive ${change.id} (${change.reason})`;
    }
  });
  const md = report.memoryMd.changed
    ? `${report.dryRun ? 'would rewrite' : 'rewrote'} ${report.memoryMd.path} (${report.memoryMd.lines} lines)`
    : `${report.memoryMd.path} is up to date`;
  return [
    report.changes.length === 0
      ? `Dream ${report.dryRun ? 'would change' : 'changed'} no entries.`
      : `Dream ${report.dryRun ? 'would make' : 'made'} ${changes}:`,
    ...lines.map((line) => `  ${line}`),
    md,
  ].join('\n');
}

/** One line per entry an import would touch, refusals with their reason, so nothing changes unseen. */
export function formatImportPreview(plan: ImportPlan): string {
  const lines = plan.changes.map((change) =>
    change.action === 'refuse'
      ? `refuse   ${change.id}  ${change.kind.padEnd(10)}  ${change.title}: ${change.reason}`
      : `${change.action.padEnd(7)}  ${change.id}  ${change.kind.padEnd(10)}  ${change.title}${change.status === 'active' ? '' : `  (${change.status})`}`,
  );
  const counts = ['add', 'change', 'archive', 'refuse'].map((action) => `${plan.changes.filter((c) => c.action === action).length} ${action}`);
  return [...lines, `${counts.join(', ')}; ${plan.unchanged} unchanged`].join('\n');
}

export function formatConflicts(conflicts: readonly { newer: MemoryEntry; older: MemoryEntry; reason: string }[]): string {
  if (conflicts.length === 0) return 'No conflicting directives.';
  return conflicts
    .map(({ newer, older, reason }) => `${newer.id}  ${newer.title}\n  opposes ${older.id}  ${older.title}\n  (${reason}; keep one: \`coordinate memory forget <the other id>\`)`)
    .join('\n\n');
}
