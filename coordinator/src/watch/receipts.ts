import { readJournal, type JournalEvent, type JournalEventOf } from '../journal/index.js';

export type WatchEvent = JournalEventOf<'watch.tick'> | JournalEventOf<'watch.budget'>;

/** The watcher's receipts and budget changes, oldest first; none before its first tick. */
export async function readReceipts(journalFile: string): Promise<WatchEvent[]> {
  try {
    const { events } = await readJournal(journalFile);
    return events.filter((e: JournalEvent): e is WatchEvent => e.type === 'watch.tick' || e.type === 'watch.budget');
  } catch (error) {
    if ((error as { code?: string }).code === 'not_found') return [];
    throw error;
  }
}

const time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** One receipt as the lines `coordinate watch log` prints. */
export function formatReceipt(event: WatchEvent): string {
  if (event.type === 'watch.budget') return `${time(event.ts)}  budget  ${event.tier}: ${event.from} → ${event.to} actions a day (${event.reason})`;
  const tokens = event.usage.inputTokens + event.usage.outputTokens + event.usage.cacheReadTokens + event.usage.cacheWriteTokens;
  const lines = [
    `${time(event.ts)}  tick ${event.tick} (${event.reason}, ${event.durationMs} ms)  ${tokens} tokens, $${event.usage.costUsd.toFixed(4)}`,
    `  checked: ${event.checked.join('; ')}`,
    `  changed: ${event.changed.length > 0 ? event.changed.join('; ') : 'nothing'}`,
  ];
  for (const finding of event.findings) lines.push(`  found [${finding.level}] ${finding.title}`);
  for (const d of event.decisions) {
    lines.push(`  ${d.action} (${d.tier}): ${d.outcome} — ${d.detail.split('\n')[0]} [left today: ${d.budgetLeft.actions} actions, $${d.budgetLeft.usd.toFixed(2)}]`);
  }
  return lines.join('\n');
}
