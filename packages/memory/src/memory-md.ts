import type { MemoryKind } from '@coordinate/protocol';
import { quality } from './ranking.js';
import type { MemoryEntry } from './schema.js';
import { firstLine } from './terms.js';

export const MEMORY_MD_MAX_LINES = 200;

const SECTIONS: { kind: MemoryKind; heading: string }[] = [
  { kind: 'directive', heading: 'Directives' },
  { kind: 'convention', heading: 'Conventions' },
  { kind: 'pitfall', heading: 'Pitfalls' },
  { kind: 'procedure', heading: 'Procedures' },
  { kind: 'fact', heading: 'Facts' },
];

const HEADER = [
  '# Team memory',
  '',
  'Generated from `.coordinate/memory.db` by `coordinate memory dream`. Change it with `coordinate memory add` and `coordinate memory forget`; edits here are overwritten.',
];

function line(entry: MemoryEntry): string {
  const detail = firstLine(entry.body, 160);
  const text = detail.toLowerCase().startsWith(entry.title.toLowerCase().replace(/…$/, '')) ? detail : `${entry.title}: ${detail}`;
  const notes = [entry.id, ...(entry.needsRevalidation ? ['needs revalidation'] : []), ...(entry.status === 'quarantined' ? ['quarantined'] : [])];
  return `- ${text.replace(/\s+/g, ' ')} (${notes.join(', ')})`;
}

const rank = (a: MemoryEntry, b: MemoryEntry) =>
  quality(b.successes, b.failures) - quality(a.successes, a.failures) || b.validFrom - a.validFrom || a.id.localeCompare(b.id);

/**
 * A page a person can read like a CLAUDE.md and review in a pull request: live entries grouped by
 * kind, directives first and in full, the rest sharing what is left of the 200-line cap fairly.
 */
export function renderMemoryMd(source: readonly MemoryEntry[] | { list(): MemoryEntry[] }): string {
  const entries = 'list' in source ? source.list() : source;
  const live = entries.filter((entry) => entry.status === 'active' || entry.status === 'quarantined');
  const groups = SECTIONS.map((section) => ({ ...section, entries: live.filter((e) => e.kind === section.kind).sort(rank) })).filter(
    (group) => group.entries.length > 0,
  );
  const fixed = HEADER.length + groups.length * 2 + 2;
  let slots = Math.max(0, MEMORY_MD_MAX_LINES - fixed);
  const shown = new Map<MemoryKind, number>(groups.map((group) => [group.kind, 0]));
  for (const group of groups.filter((g) => g.kind === 'directive')) {
    const take = Math.min(group.entries.length, slots);
    shown.set(group.kind, take);
    slots -= take;
  }
  let progressed = true;
  while (slots > 0 && progressed) {
    progressed = false;
    for (const group of groups) {
      const count = shown.get(group.kind) ?? 0;
      if (group.kind === 'directive' || count >= group.entries.length || slots === 0) continue;
      shown.set(group.kind, count + 1);
      slots--;
      progressed = true;
    }
  }
  const out = [...HEADER];
  for (const group of groups) {
    out.push('', `## ${group.heading}`);
    for (const entry of group.entries.slice(0, shown.get(group.kind))) out.push(line(entry));
  }
  const hidden = live.length - [...shown.values()].reduce((a, b) => a + b, 0);
  if (hidden > 0) out.push('', `_…and ${hidden} more: \`coordinate memory list\`._`);
  return `${out.join('\n')}\n`;
}
