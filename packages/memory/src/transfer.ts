import type Database from 'better-sqlite3';
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

export interface ImportResult {
  inserted: number;
  updated: number;
  skipped: number;
}

/** Brings in an export: new ids are added with their relations, newer versions of known ids replace older ones, the rest is left alone. */
export function importMemory(db: Database.Database, data: unknown): ImportResult {
  const parsed = MemoryExport.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'file';
    throw new MemoryError('invalid_import', `not a coordinate memory export: ${where}: ${issue?.message ?? 'schema mismatch'}`, {
      issues: parsed.error.issues.slice(0, 5),
    });
  }
  const result: ImportResult = { inserted: 0, updated: 0, skipped: 0 };
  writeTransaction(db, () => {
    const imported = new Set<string>();
    for (const entry of parsed.data.entries) {
      const current = db.prepare('SELECT version FROM entries WHERE id = ?').get(entry.id) as Pick<EntryRow, 'version'> | undefined;
      if (current && current.version >= entry.version) {
        result.skipped++;
        continue;
      }
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
      if (current) {
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
    for (const event of parsed.data.history) {
      if (imported.has(event.entryId)) insertHistory.run(event.entryId, event.at, event.action, event.detail);
    }
    for (const relation of parsed.data.relations) {
      if (imported.has(relation.from)) addRelation(db, relation.from, relation.type, relation.to, relation.at, relation.detail);
    }
  });
  return result;
}
