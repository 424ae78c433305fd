import { formatZodError } from '@coordinate/protocol';
import type Database from 'better-sqlite3';
import { isPersonsDirective } from './directive-authority.js';
import { writeTransaction } from './write-transaction.js';
import { MemoryError } from './errors.js';
import { joinTags, setAnchors, setTags, type EntryRow } from './rows.js';
import { addRelation, allRelations } from './relations.js';
import { MemoryExport, type HistoryEvent, type MemoryEntry } from './schema.js';
import { fingerprint, uniqueTerms } from './terms.js';

export function exportMemory(db: Database.Database, entries: MemoryEntry[], now: number): MemoryExport {
  const history = db.prepare('SELECT entry_id AS entryId, at, action, detail FROM history ORDER BY seq').all() as HistoryEvent[];
  return { format: 'coordinate-memory', version: 1, exportedAt: now, entries, history, relations: allRelations(db) };
}

/** What one imported entry would do to the store. */
export type ImportChange =
  | { action: 'add' | 'change' | 'archive'; id: string; kind: MemoryEntry['kind']; title: string; status: MemoryEntry['status'] }
  | { action: 'refuse'; id: string; kind: MemoryEntry['kind']; title: string; reason: string };

export interface ImportPlan {
  changes: ImportChange[];
  /** Entries already there at the same or a newer version. */
  unchanged: number;
}

export interface ImportResult {
  inserted: number;
  updated: number;
  skipped: number;
  refused: number;
}

function parseExport(data: unknown): MemoryExport {
  const parsed = MemoryExport.safeParse(data);
  if (!parsed.success) {
    throw new MemoryError('invalid_import', `not a coordinate memory export: ${formatZodError(parsed.error)}`, {
      issues: parsed.error.issues.slice(0, 5),
    });
  }
  return parsed.data;
}

const CLOSED = new Set<MemoryEntry['status']>(['superseded', 'archived']);

/**
 * Why an imported entry may not replace the one holding its id, if it may not. An id names one
 * entry for good, so a file that reuses it for another entry (another kind, or made at another
 * time) is refused; and a person's directive is changed by a person in this store, never by a file.
 */
function refusal(current: EntryRow, entry: MemoryEntry): string | undefined {
  if (current.kind !== entry.kind || current.created_at !== entry.createdAt) {
    return `id ${entry.id} already names a different entry here (${current.kind} "${current.title}")`;
  }
  const sameDirective =
    current.body === entry.body && current.status === entry.status && entry.source === undefined && current.scope === entry.scope;
  if (isPersonsDirective(current) && !sameDirective) {
    return `${entry.id} is a directive a person wrote here; change it with \`coordinate memory add\` or \`forget\`, not by import`;
  }
  return undefined;
}

function planEntries(db: Database.Database | undefined, data: MemoryExport): { plan: ImportPlan; apply: { entry: MemoryEntry; exists: boolean }[] } {
  const plan: ImportPlan = { changes: [], unchanged: 0 };
  const apply: { entry: MemoryEntry; exists: boolean }[] = [];
  const seen = new Set<string>();
  for (const entry of data.entries) {
    const about = { id: entry.id, kind: entry.kind, title: entry.title };
    if (seen.has(entry.id)) {
      plan.changes.push({ ...about, action: 'refuse', reason: `id ${entry.id} appears more than once in the file` });
      continue;
    }
    seen.add(entry.id);
    const current = db?.prepare('SELECT * FROM entries WHERE id = ?').get(entry.id) as EntryRow | undefined;
    if (current && current.version >= entry.version) {
      plan.unchanged++;
      continue;
    }
    const reason = current && refusal(current, entry);
    if (reason) {
      plan.changes.push({ ...about, action: 'refuse', reason });
      continue;
    }
    const closes = current !== undefined && !CLOSED.has(current.status) && CLOSED.has(entry.status);
    plan.changes.push({ ...about, action: !current ? 'add' : closes ? 'archive' : 'change', status: entry.status });
    apply.push({ entry, exists: current !== undefined });
  }
  return { plan, apply };
}

/** What importing the export would add, change, archive and refuse, changing nothing; no database: a memory not made yet. */
export function previewImport(db: Database.Database | undefined, data: unknown): ImportPlan {
  return planEntries(db, parseExport(data)).plan;
}

/**
 * Brings in an export: new ids are added, newer versions of the same entries replace older ones,
 * the rest is left alone. What `previewImport` refuses is left out, the rest still applies.
 */
export function importMemory(db: Database.Database, data: unknown): ImportResult {
  const parsedData = parseExport(data);
  const result: ImportResult = { inserted: 0, updated: 0, skipped: 0, refused: 0 };
  writeTransaction(db, () => {
    const { plan, apply } = planEntries(db, parsedData);
    result.skipped = plan.unchanged;
    result.refused = plan.changes.filter((change) => change.action === 'refuse').length;
    const imported = new Set<string>();
    for (const { entry, exists } of apply) {
      const values = {
        id: entry.id, kind: entry.kind, title: entry.title, body: entry.body, tags: joinTags(entry.tags), scope: entry.scope,
        source_run: entry.source?.runId ?? null, source_task: entry.source?.taskId ?? null,
        fingerprint: fingerprint(entry.kind, entry.body), terms: uniqueTerms(`${entry.title} ${entry.body} ${entry.tags.join(' ')}`).join(' '),
        status: entry.status, valid_from: entry.validFrom, valid_to: entry.validTo ?? null, supersedes: JSON.stringify(entry.supersedes),
        superseded_by: entry.supersededBy ?? null, close_reason: entry.closeReason ?? null, uses: entry.uses, successes: entry.successes,
        failures: entry.failures, last_used_at: entry.lastUsedAt ?? null, needs_revalidation: entry.needsRevalidation ? 1 : 0,
        version: entry.version, created_at: entry.createdAt, updated_at: entry.updatedAt,
      };
      const columns = Object.keys(values);
      if (exists) {
        db.prepare(`UPDATE entries SET ${columns.filter((c) => c !== 'id').map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(values);
        db.prepare('DELETE FROM anchors WHERE entry_id = ?').run(entry.id);
        result.updated++;
      } else {
        db.prepare(`INSERT INTO entries (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(values);
        result.inserted++;
      }
      setAnchors(db, entry.id, entry.anchors);
      setTags(db, entry.id, entry.tags);
      imported.add(entry.id);
    }
    const insertHistory = db.prepare('INSERT INTO history (entry_id, at, action, detail) VALUES (?, ?, ?, ?)');
    for (const event of parsedData.history) {
      if (imported.has(event.entryId)) insertHistory.run(event.entryId, event.at, event.action, event.detail);
    }
    for (const relation of parsedData.relations) {
      if (imported.has(relation.from)) addRelation(db, relation.from, relation.type, relation.to, relation.at, relation.detail);
    }
  });
  return result;
}
