import type Database from 'better-sqlite3';
import { statement } from './statements.js';
import type { MemoryKind } from '@coordinate/protocol';
import type { Anchor, EntryStatus, MemoryEntry } from './schema.js';

export interface EntryRow {
  seq: number;
  id: string;
  kind: MemoryKind;
  title: string;
  body: string;
  tags: string;
  scope: string;
  source_run: string | null;
  source_task: string | null;
  fingerprint: string;
  terms: string;
  status: EntryStatus;
  valid_from: number;
  valid_to: number | null;
  /** When the fact it states happened, read from its text (ms since the epoch); null when it names no time. */
  event_from: number | null;
  event_to: number | null;
  supersedes: string;
  superseded_by: string | null;
  close_reason: string | null;
  uses: number;
  successes: number;
  failures: number;
  last_used_at: number | null;
  needs_revalidation: number;
  version: number;
  created_at: number;
  updated_at: number;
}

export const splitTags = (tags: string): string[] => (tags ? tags.split(' ') : []);
export const joinTags = (tags: Iterable<string>): string => [...new Set(tags)].join(' ');
export const normalizeTag = (tag: string): string => tag.trim().toLowerCase().replace(/\s+/g, '-');

export function anchorsOf(db: Database.Database, id: string): Anchor[] {
  const rows = statement(db, 'SELECT path, blob_sha FROM anchors WHERE entry_id = ? ORDER BY path').all(id) as {
    path: string;
    blob_sha: string | null;
  }[];
  return rows.map((row) => (row.blob_sha ? { path: row.path, blobSha: row.blob_sha } : { path: row.path }));
}

export function toEntry(row: EntryRow, anchors: Anchor[]): MemoryEntry {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    tags: splitTags(row.tags),
    scope: row.scope,
    ...(row.source_run && row.source_task ? { source: { runId: row.source_run, taskId: row.source_task } } : {}),
    anchors,
    status: row.status,
    validFrom: row.valid_from,
    ...(row.valid_to === null ? {} : { validTo: row.valid_to }),
    supersedes: JSON.parse(row.supersedes) as string[],
    ...(row.superseded_by ? { supersededBy: row.superseded_by } : {}),
    ...(row.close_reason ? { closeReason: row.close_reason } : {}),
    uses: row.uses,
    successes: row.successes,
    failures: row.failures,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    needsRevalidation: row.needs_revalidation === 1,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function addHistory(db: Database.Database, entryId: string, at: number, action: string, detail: string): void {
  statement(db, 'INSERT INTO history (entry_id, at, action, detail) VALUES (?, ?, ?, ?)').run(entryId, at, action, detail.slice(0, 2000));
}

export const parentDir = (path: string): string => {
  const cut = path.lastIndexOf('/');
  return cut === -1 ? '' : path.slice(0, cut);
};

export function setAnchors(db: Database.Database, id: string, anchors: Anchor[]): void {
  const upsert = statement(
    db,
    'INSERT INTO anchors (entry_id, path, dir, blob_sha) VALUES (?, ?, ?, ?) ON CONFLICT (entry_id, path) DO UPDATE SET blob_sha = excluded.blob_sha',
  );
  for (const anchor of anchors) upsert.run(id, anchor.path, parentDir(anchor.path), anchor.blobSha ?? null);
}

export function setTags(db: Database.Database, id: string, tags: string[]): void {
  statement(db, 'DELETE FROM entry_tags WHERE entry_id = ?').run(id);
  const insert = statement(db, 'INSERT OR IGNORE INTO entry_tags (entry_id, tag) VALUES (?, ?)');
  for (const tag of tags) insert.run(id, tag);
}
