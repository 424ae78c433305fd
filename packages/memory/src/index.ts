export { MemoryError, type MemoryErrorCode } from './errors.js';
export {
  Anchor,
  EntryStatus,
  HistoryEvent,
  MemoryEntry,
  MemoryExport,
  MemoryKind,
  MemoryProposal,
  SourceRef,
  Relation,
  RelationType,
  type AdmitAction,
  type AdmitResult,
} from './schema.js';
export { describeEntry } from './describe-entry.js';
export { openMemory, toSnippet, MemoryStore, type OpenMemoryOptions, type DreamReport } from './store.js';
export type { RetrievedEntry, RetrieveQuery } from './retrieval.js';
export type { FeedbackResult } from './feedback.js';
export type { RevalidateResult } from './revalidate.js';
export { previewImport } from './transfer.js';
export type { ImportChange, ImportPlan, ImportResult } from './transfer.js';
export type { DreamChange, DreamModel, DreamOptions } from './dream.js';
export { compileDirective, isDirectiveText, type CompiledDirective } from './directives.js';
export { renderMemoryMd, MEMORY_MD_MAX_LINES } from './memory-md.js';
export { extractSessionMemories, type SessionRecord } from './session.js';
export { gitBlobSha } from './blob-sha.js';
export { wilsonLowerBound, quality } from './ranking.js';
export { estimateTokens } from './terms.js';
export { SCHEMA_VERSION } from './migrations.js';
