import { MemoryKind } from '@coordinate/protocol';
import { z } from 'zod';

export { MemoryKind };

export const Anchor = z.object({
  path: z.string().min(1).max(500),
  blobSha: z.string().regex(/^[0-9a-f]{40}$/, 'a 40-digit hex git blob id').optional(),
});
export type Anchor = z.infer<typeof Anchor>;

export const SourceRef = z.object({ runId: z.string().min(1).max(64), taskId: z.string().min(1).max(64) });
export type SourceRef = z.infer<typeof SourceRef>;

/** What a worker, a person or session extraction proposes; admission decides what becomes of it. */
export const MemoryProposal = z.object({
  kind: MemoryKind,
  title: z.string().trim().min(1).max(200).optional(),
  text: z.string().trim().min(1).max(10_000),
  tags: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  files: z.union([z.array(z.string().min(1).max(500)), z.array(Anchor)]).optional(),
  scope: z.string().min(1).max(200).optional(),
  source: SourceRef.optional(),
});
export type MemoryProposal = z.input<typeof MemoryProposal>;

/** `proposed`: a directive a task suggested, kept out of prompts and enforcement until a person accepts it. */
export const EntryStatus = z.enum(['active', 'proposed', 'quarantined', 'superseded', 'archived']);
export type EntryStatus = z.infer<typeof EntryStatus>;

export const MemoryEntry = z.object({
  id: z.string().min(1).max(64),
  kind: MemoryKind,
  title: z.string().max(200),
  body: z.string().max(10_000),
  tags: z.array(z.string().max(64)),
  scope: z.string().max(200),
  source: SourceRef.optional(),
  anchors: z.array(Anchor),
  status: EntryStatus,
  validFrom: z.number().int(),
  validTo: z.number().int().optional(),
  supersedes: z.array(z.string().max(64)),
  supersededBy: z.string().max(64).optional(),
  closeReason: z.string().max(1000).optional(),
  uses: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  lastUsedAt: z.number().int().optional(),
  needsRevalidation: z.boolean(),
  version: z.number().int().positive(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type MemoryEntry = z.infer<typeof MemoryEntry>;

export const HistoryEvent = z.object({
  entryId: z.string().max(64),
  at: z.number().int(),
  action: z.string().max(32),
  detail: z.string().max(2000),
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;

/** Relation types; see relations.ts for what each means. */
export const RelationType = z.enum(['about', 'supersedes', 'contradicts', 'follows', 'fixed_by', 'caused_by']);
export type RelationType = z.infer<typeof RelationType>;

/** A typed link from an entry to another entry, or (`about`) to a subject key such as `file:src/a.ts`. */
export const Relation = z.object({
  from: z.string().min(1).max(600),
  type: RelationType,
  to: z.string().min(1).max(600),
  detail: z.string().max(1000).default(''),
  at: z.number().int(),
});
export type Relation = z.infer<typeof Relation>;

export const MemoryExport = z.object({
  format: z.literal('coordinate-memory'),
  version: z.literal(1),
  exportedAt: z.number().int(),
  entries: z.array(MemoryEntry).max(1_000_000),
  history: z.array(HistoryEvent).default([]),
  relations: z.array(Relation).max(10_000_000).default([]),
});
export type MemoryExport = z.infer<typeof MemoryExport>;

export type AdmitAction = 'inserted' | 'merged' | 'superseded' | 'proposed';
export interface AdmitResult {
  id: string;
  action: AdmitAction;
  superseded?: string[];
  /** Live directives this one opposes: both stay active until a person decides (`memory conflicts`). */
  conflicts?: string[];
}
