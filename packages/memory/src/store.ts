import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { writeTransaction } from './write-transaction.js';
import type { MemorySnippet } from '@coordinate/protocol';
import { admit } from './admission.js';
import { BlobHasher } from './blob-sha.js';
import { compileDirective, type CompiledDirective } from './directives.js';
import { applyDream, planDream, type DreamChange, type DreamOptions } from './dream.js';
import { MemoryError } from './errors.js';
import { recordUse, settleFeedback, type FeedbackResult } from './feedback.js';
import { withLock } from './lock.js';
import { renderMemoryMd } from './memory-md.js';
import { openDatabase } from './open-database.js';
import { directiveMatcher, retrieve, type DirectiveMatcher, type RetrievedEntry, type RetrieveQuery } from './retrieval.js';
import { Doclists, mergeWordIndex } from './doclists.js';
import { statement } from './statements.js';
import { DEFAULT_EXPANSION, expandFromSeeds } from './graph-expansion.js';
import { openConflicts, relationsOf, type Relation } from './relations.js';
import { revalidate, type RevalidateResult } from './revalidate.js';
import { addHistory, anchorsOf, toEntry, type EntryRow } from './rows.js';
import type { AdmitResult, HistoryEvent, MemoryEntry, MemoryExport, MemoryKind, MemoryProposal, SourceRef } from './schema.js';
import { exportMemory, importMemory, previewImport, type ImportPlan, type ImportResult } from './transfer.js';

export interface OpenMemoryOptions {
  now?: () => number;
  readonly?: boolean;
  /** The repository the anchors are relative to: proposals' files get their blob ids from it, and searches check them. */
  repoRoot?: string;
  /** Where `dream` writes the human-readable index; `MEMORY.md` beside the database by default. */
  memoryMdPath?: string;
}

export interface DreamReport {
  dryRun: boolean;
  changes: DreamChange[];
  memoryMd: { path: string; lines: number; changed: boolean; content: string };
}

const DREAM_LEASE_MS = 10 * 60_000;

export class MemoryStore {
  private readonly now: () => number;
  private readonly hasher: BlobHasher | undefined;
  private readonly memoryMdPath: string;
  private readonly doclists: Doclists;
  private writes = 0;
  private otherWrites = -1;
  private cacheKey = '';
  /** Approximate: own inserts bump it, another process's commit clears it. */
  private dfCache = new Map<string, number>();
  private averageLength: number | undefined;
  private directiveCache: { compiled: CompiledDirective[]; matchers: DirectiveMatcher[] } | undefined;

  constructor(
    readonly file: string,
    private readonly db: Database.Database,
    options: OpenMemoryOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.hasher = options.repoRoot ? new BlobHasher(options.repoRoot) : undefined;
    this.memoryMdPath = options.memoryMdPath ?? join(dirname(file), 'MEMORY.md');
    this.doclists = new Doclists(db);
  }

  private wrote<T>(value: T): T {
    this.writes++;
    return value;
  }

  /** Exact caches hold until anyone commits a change; frequency caches until another process does. */
  private freshCaches(): void {
    const others = this.db.pragma('data_version', { simple: true }) as number;
    if (others !== this.otherWrites) {
      this.otherWrites = others;
      this.dfCache = new Map();
      this.averageLength = undefined;
    }
    const key = `${others}:${this.writes}`;
    if (key === this.cacheKey) return;
    this.cacheKey = key;
    this.directiveCache = undefined;
    this.doclists.invalidate();
  }

  private df(term: string): number {
    let n = this.dfCache.get(term);
    if (n === undefined) {
      n = this.doclists.docFrequency(term);
      this.dfCache.set(term, n);
    }
    return n;
  }

  private noteIndexed(terms: readonly string[]): void {
    for (const term of terms) {
      const n = this.dfCache.get(term);
      if (n !== undefined) this.dfCache.set(term, n + 1);
    }
  }

  private meanLength(): number {
    if (this.averageLength === undefined) {
      const mean = statement(this.db, 'SELECT avg(words) FROM (SELECT words FROM entry_lengths ORDER BY seq DESC LIMIT 500)')
        .pluck()
        .get() as number | null;
      this.averageLength = mean ?? 1;
    }
    return this.averageLength;
  }

  private entryOf(row: EntryRow): MemoryEntry {
    return toEntry(row, anchorsOf(this.db, row.id));
  }

  admit(proposal: MemoryProposal): AdmitResult {
    this.freshCaches();
    const context = {
      db: this.db,
      now: this.now,
      doclists: this.doclists,
      df: (term: string) => this.df(term),
      onIndexed: (terms: readonly string[]) => this.noteIndexed(terms),
      ...(this.hasher ? { hasher: this.hasher } : {}),
    };
    return this.wrote(admit(context, proposal));
  }

  /**
   * Admits proposals in order as one write transaction: each is checked against the store and the
   * proposals before it, exactly as `admit` one by one would, but the database takes its write lock
   * and commits once, which is what makes loading tens of thousands of entries take minutes, not an hour.
   * Returns one result per proposal, in order.
   * @throws MemoryError as `admit` does (`invalid_input`, `secret_in_proposal`, `busy`); then nothing of the batch is written.
   */
  admitMany(proposals: readonly MemoryProposal[]): AdmitResult[] {
    return writeTransaction(this.db, () => proposals.map((proposal) => this.admit(proposal)));
  }

  retrieve(query: RetrieveQuery): RetrievedEntry[] {
    this.freshCaches();
    const hasher = query.repoRoot ? (this.hasher?.repoRoot === query.repoRoot ? this.hasher : new BlobHasher(query.repoRoot)) : undefined;
    return retrieve(
      {
        db: this.db,
        doclists: this.doclists,
        now: this.now(),
        df: (term) => this.df(term),
        docCount: statement(this.db, 'SELECT coalesce(max(seq), 0) FROM entries').pluck().get() as number,
        averageLength: this.meanLength(),
        directives: this.directives().matchers,
        ...(hasher ? { hasher } : {}),
      },
      query,
    );
  }

  /**
   * Forgets what earlier searches read (doclists, word frequencies, the mean entry length), so the
   * next search reads the index as a run's first one, or a one-search `coordinate memory search`
   * process, does (bench:memory's cold figures).
   */
  dropReadCache(): void {
    this.doclists.invalidate();
    this.dfCache = new Map();
    this.averageLength = undefined;
  }

  /**
   * Merges the word index into one segment, as `dream` does: call it after a bulk load, when the
   * next consolidation may be far off. Changes no entry and no answer; about 100 ms at 100k entries.
   * @throws MemoryError `busy` when another process holds the write lock past the busy timeout.
   */
  mergeWordIndex(): void {
    writeTransaction(this.db, () => mergeWordIndex(this.db));
  }

  get(id: string): MemoryEntry | undefined {
    const row = this.db.prepare('SELECT * FROM entries WHERE id = ?').get(id) as EntryRow | undefined;
    return row && this.entryOf(row);
  }

  /** Every relation that starts or ends at the entry (`about` ones end at subject keys such as `file:src/a.ts`). */
  relations(id: string): Relation[] {
    return relationsOf(this.db, id);
  }

  /** Live entries one hop away: through a direct relation or a subject few entries share. */
  related(id: string): MemoryEntry[] {
    const reached = expandFromSeeds(this.db, new Map([[id, 1]]), { ...DEFAULT_EXPANSION, hops: 1 });
    return [...reached.keys()].flatMap((other) => this.get(other) ?? []).filter((entry) => entry.status === 'active' || entry.status === 'quarantined');
  }

  /** Opposing directives both held until a person decides: each pair newer first. */
  conflicts(): { newer: MemoryEntry; older: MemoryEntry; reason: string }[] {
    return openConflicts(this.db).flatMap((relation) => {
      const newer = this.get(relation.from);
      const older = this.get(relation.to);
      return newer && older ? [{ newer, older, reason: relation.detail }] : [];
    });
  }

  history(id: string): HistoryEvent[] {
    return this.db.prepare('SELECT entry_id AS entryId, at, action, detail FROM history WHERE entry_id = ? ORDER BY seq').all(id) as HistoryEvent[];
  }

  list(options: { kind?: MemoryKind; includeArchived?: boolean } = {}): MemoryEntry[] {
    const where = [options.includeArchived ? '1' : "status IN ('active', 'proposed', 'quarantined')", options.kind ? 'kind = @kind' : '1'];
    const rows = this.db.prepare(`SELECT * FROM entries WHERE ${where.join(' AND ')} ORDER BY kind, valid_from DESC`).all(options.kind ? { kind: options.kind } : {}) as EntryRow[];
    return rows.map((row) => this.entryOf(row));
  }

  /** The person's acceptance of a directive a task proposed: from now on it is injected and enforced. */
  accept(id: string): MemoryEntry {
    const entry = this.get(id);
    if (!entry) throw new MemoryError('not_found', `no memory entry "${id}"; see \`coordinate memory list\``, { id });
    if (entry.status !== 'proposed') {
      throw new MemoryError('invalid_input', `memory entry "${id}" is ${entry.status}, not proposed; only a proposed directive can be accepted`, { id, status: entry.status });
    }
    const at = this.now();
    writeTransaction(this.db, () => {
      this.db.prepare("UPDATE entries SET status = 'active', valid_from = ?, updated_at = ?, version = version + 1 WHERE id = ?").run(at, at, id);
      addHistory(this.db, id, at, 'accepted', 'accepted by a person');
    });
    return this.wrote(this.get(id)!);
  }

  /** The person's explicit delete: the entry, its anchors, uses and history go. The system itself never deletes. */
  forget(id: string): MemoryEntry {
    const entry = this.get(id);
    if (!entry) throw new MemoryError('not_found', `no memory entry "${id}"; see \`coordinate memory list --all\``, { id });
    writeTransaction(this.db, () => {
      this.db.prepare('DELETE FROM entries WHERE id = ?').run(id);
      this.db.prepare('DELETE FROM history WHERE entry_id = ?').run(id);
    });
    return this.wrote(entry);
  }

  recordUse(ids: readonly string[], source: SourceRef): void {
    this.wrote(recordUse(this.db, ids, source, this.now()));
  }

  feedback(input: SourceRef & { passed: boolean }): FeedbackResult {
    return this.wrote(settleFeedback(this.db, input, this.now()));
  }

  revalidate(repoRoot: string): RevalidateResult {
    const hasher = this.hasher?.repoRoot === repoRoot ? this.hasher : new BlobHasher(repoRoot);
    return this.wrote(revalidate(this.db, hasher, this.now()));
  }

  /** Active directives that name paths or commands, in the shape the tools policy enforces. */
  compiledDirectives(): CompiledDirective[] {
    return this.directives().compiled.map((directive) => ({ ...directive }));
  }

  private directives() {
    this.freshCaches();
    if (!this.directiveCache) {
      const rows = this.db.prepare("SELECT id, body FROM entries WHERE kind = 'directive' AND status = 'active' ORDER BY seq").all() as { id: string; body: string }[];
      const compiled = rows.flatMap((row) => compileDirective(row.id, row.body) ?? []);
      this.directiveCache = { compiled, matchers: compiled.map(directiveMatcher) };
    }
    return this.directiveCache;
  }

  /** Marks the end of a run, for `dreamIfDue`. */
  noteRun(runId: string): void {
    this.wrote(writeTransaction(this.db, () => this.db.prepare('INSERT OR IGNORE INTO runs (run_id, at) VALUES (?, ?)').run(runId, this.now())));
  }

  /** When memory was last consolidated (ms since the epoch); 0 when never. */
  lastDreamAt(): number {
    return Number((this.db.prepare("SELECT value FROM meta WHERE key = 'last_dream_at'").pluck().get() as string | undefined) ?? 0);
  }

  runsSinceDream(): number {
    return this.db.prepare('SELECT count(*) FROM runs WHERE at > ?').pluck().get(this.lastDreamAt()) as number;
  }

  /** Consolidates when `every` runs have ended since the last time; another coordinator dreaming is not an error here. */
  async dreamIfDue(options: DreamOptions & { every: number }): Promise<DreamReport | undefined> {
    if (options.every <= 0 || this.runsSinceDream() < options.every) return undefined;
    try {
      return await this.dream({ ...options, dryRun: false });
    } catch (error) {
      if (error instanceof MemoryError && error.code === 'locked') return undefined;
      throw error;
    }
  }

  async dream(options: DreamOptions = {}): Promise<DreamReport> {
    const consolidate = async (): Promise<DreamReport> => {
      const changes = await planDream(this.db, this.doclists, this.now(), (row) => this.entryOf(row), options);
      let entries: MemoryEntry[];
      if (options.dryRun) {
        const closing = new Set(changes.flatMap((c) => (c.action === 'archive' ? [c.id] : c.action === 'supersede' ? [c.closed] : c.merged)));
        entries = this.list().filter((entry) => !closing.has(entry.id));
      } else {
        applyDream(this.db, this.now(), changes);
        this.writes++;
        entries = this.list();
      }
      const content = renderMemoryMd(entries);
      const previous = readIfExists(this.memoryMdPath);
      if (!options.dryRun && previous !== content) {
        const temp = `${this.memoryMdPath}.${process.pid}.tmp`;
        writeFileSync(temp, content);
        renameSync(temp, this.memoryMdPath);
      }
      return {
        dryRun: options.dryRun ?? false,
        changes,
        memoryMd: { path: this.memoryMdPath, lines: content.split('\n').length - 1, changed: previous !== content, content },
      };
    };
    return options.dryRun ? consolidate() : withLock(this.db, 'dream', this.now, DREAM_LEASE_MS, consolidate);
  }

  renderMemoryMd(): string {
    return renderMemoryMd(this.list());
  }

  exportJson(): MemoryExport {
    return exportMemory(this.db, this.list({ includeArchived: true }), this.now());
  }

  /** What `importJson` would do with the same data, changing nothing. */
  previewImportJson(data: unknown): ImportPlan {
    return previewImport(this.db, data);
  }

  importJson(data: unknown): ImportResult {
    return this.wrote(importMemory(this.db, data));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function openMemory(file: string, options: OpenMemoryOptions = {}): MemoryStore {
  return new MemoryStore(file, openDatabase(file, options.readonly ? { readonly: true } : {}), options);
}

/** The wire shape of an entry: a one-line summary, with the body only when it was asked for. */
export function toSnippet(entry: RetrievedEntry | MemoryEntry): MemorySnippet {
  if ('summary' in entry) {
    return { id: entry.id, kind: entry.kind, summary: entry.summary.slice(0, 1000), ...(entry.needsRevalidation ? { needsRevalidation: true } : {}) };
  }
  return {
    id: entry.id,
    kind: entry.kind,
    summary: `${entry.id} [${entry.kind}] ${entry.title}`.slice(0, 1000),
    body: entry.body.slice(0, 20_000),
    ...(entry.needsRevalidation ? { needsRevalidation: true } : {}),
  };
}
