import type { HistoryEvent, MemoryEntry, Relation } from './schema.js';

/** Renders the full entry for `memory show` and for a tool that reads a body on demand; relations read from the entry's side. */
export function describeEntry(entry: MemoryEntry, history: readonly HistoryEvent[] = [], relations: readonly Relation[] = []): string {
  const lines = [
    `${entry.id} [${entry.kind}] ${entry.title}`,
    '',
    entry.body,
    '',
    `status: ${entry.status}${entry.needsRevalidation ? ' (needs revalidation: its code changed)' : ''}`,
    `valid: ${new Date(entry.validFrom).toISOString()} → ${entry.validTo === undefined ? 'now' : new Date(entry.validTo).toISOString()}`,
    `uses: ${entry.uses}, successes: ${entry.successes}, failures: ${entry.failures}, version: ${entry.version}`,
  ];
  if (entry.tags.length) lines.push(`tags: ${entry.tags.join(', ')}`);
  if (entry.anchors.length) lines.push(`anchors: ${entry.anchors.map((a) => (a.blobSha ? `${a.path}@${a.blobSha.slice(0, 10)}` : a.path)).join(', ')}`);
  if (entry.source) lines.push(`source: run ${entry.source.runId}, task ${entry.source.taskId}`);
  if (entry.supersedes.length) lines.push(`supersedes: ${entry.supersedes.join(', ')}`);
  if (entry.supersededBy) lines.push(`superseded by: ${entry.supersededBy}`);
  if (entry.closeReason) lines.push(`closed: ${entry.closeReason}`);
  if (relations.length) {
    lines.push('', 'relations:');
    for (const r of relations) lines.push(r.from === entry.id ? `  ${r.type} → ${r.to}` : `  ← ${r.type} ${r.from}`);
  }
  if (history.length) {
    lines.push('', 'history:');
    for (const event of history) lines.push(`  ${new Date(event.at).toISOString()} ${event.action}: ${event.detail}`);
  }
  return lines.join('\n');
}
