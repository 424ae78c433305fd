import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { BlobHasher } from './blob-sha.js';
import type { Doclists } from './doclists.js';
import { isDirectiveText } from './directives.js';
import { MemoryError } from './errors.js';
import { addHistory, joinTags, normalizeTag, setAnchors, setTags, splitTags, type EntryRow } from './rows.js';
import { MemoryProposal, type AdmitResult, type Anchor } from './schema.js';
import { refuseSecrets } from './secret-guard.js';
import { admittedStatus, mayClose } from './directive-authority.js';
import { relate, similarEntries } from './similar.js';
import { fingerprint, firstLine, uniqueTerms } from './terms.js';

export const newEntryId = (): string => `m-${randomBytes(6).toString('hex')}`;

export interface AdmitContext {
  db: Database.Database;
  now: () => number;
  doclists: Doclists;
  /** Approximate document frequency of a term, used to pick the rare words that find restatements. */
  df: (term: string) => number;
  /** Told about the words of each inserted entry, so frequency caches stay close. */
  onIndexed?: (terms: readonly string[]) => void;
  hasher?: BlobHasher;
}

export function parseProposal(input: unknown) {
  const parsed = MemoryProposal.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'proposal';
    throw new MemoryError('invalid_input', `invalid memory proposal: ${where}: ${issue?.message ?? 'schema mismatch'}`, {
      issues: parsed.error.issues,
    });
  }
  return parsed.data;
}

type Proposal = ReturnType<typeof parseProposal>;

function anchorsFrom(proposal: Proposal, hasher?: BlobHasher): Anchor[] {
  return (proposal.files ?? []).map((file) => {
    const anchor: Anchor = typeof file === 'string' ? { path: file } : file;
    const path = anchor.path.replace(/^\.\//, '');
    const blobSha = anchor.blobSha ?? hasher?.shaOf(path);
    return blobSha ? { path, blobSha } : { path };
  });
}

/** A "never …" convention is a directive whatever the proposer called it. */
function kindOf(proposal: Proposal) {
  const promotable = proposal.kind === 'fact' || proposal.kind === 'convention';
  return promotable && isDirectiveText(proposal.text) ? 'directive' : proposal.kind;
}

function mergeInto(ctx: AdmitContext, row: EntryRow, proposal: Proposal, tags: string[], anchors: Anchor[], how: string): AdmitResult {
  const at = ctx.now();
  const mergedTags = joinTags([...splitTags(row.tags), ...tags]);
  ctx.db
    .prepare('UPDATE entries SET tags = ?, version = version + 1, updated_at = ?, valid_from = min(valid_from, ?) WHERE id = ?')
    .run(mergedTags, at, at, row.id);
  setTags(ctx.db, row.id, splitTags(mergedTags));
  // Seeing the fact again at today's code confirms it there.
  setAnchors(ctx.db, row.id, anchors);
  if (anchors.some((anchor) => anchor.blobSha)) ctx.db.prepare('UPDATE entries SET needs_revalidation = 0 WHERE id = ?').run(row.id);
  const source = proposal.source ? ` from ${proposal.source.runId}/${proposal.source.taskId}` : '';
  addHistory(ctx.db, row.id, at, 'merged', `${how}${source}: ${proposal.text}`);
  return { id: row.id, action: 'merged' };
}

/**
 * Admits one proposal: merges it into an exact or near duplicate, closes the entries it contradicts
 * (keeping the reason), or inserts it. Runs in an immediate transaction so concurrent coordinators
 * sharing the database take turns and never admit the same entry twice.
 */
export function admit(ctx: AdmitContext, input: unknown): AdmitResult {
  const proposal = parseProposal(input);
  refuseSecrets([proposal.title, proposal.text, ...(proposal.tags ?? [])]);
  const kind = kindOf(proposal);
  const title = proposal.title ?? firstLine(proposal.text, 120);
  const tags = [...new Set((proposal.tags ?? []).map(normalizeTag))];
  const anchors = anchorsFrom(proposal, ctx.hasher);
  const terms = uniqueTerms(`${title} ${proposal.text} ${tags.join(' ')}`);
  const print = fingerprint(kind, proposal.text);
  const status = admittedStatus(kind, proposal);

  const run = ctx.db.transaction((): AdmitResult => {
    const exact = ctx.db
      .prepare("SELECT * FROM entries WHERE fingerprint = ? AND +status IN ('active', 'quarantined') LIMIT 1")
      .get(print) as EntryRow | undefined;
    if (exact) return mergeInto(ctx, exact, proposal, tags, anchors, 'same text proposed again');

    const closing: { row: EntryRow; reason: string }[] = [];
    for (const row of similarEntries(ctx.db, ctx.doclists, proposal.text, ctx.df, 12)) {
      if (row.kind !== kind && !(row.kind === 'directive' || kind === 'directive')) continue;
      const relation = relate({ text: row.body }, { text: proposal.text });
      if (relation.kind === 'duplicate') return mergeInto(ctx, row, proposal, tags, anchors, 'near duplicate proposed');
      // A proposed directive is not in force yet, so it closes nothing until a person accepts it.
      if (relation.kind === 'contradiction' && status === 'active' && mayClose(row, proposal)) closing.push({ row, reason: relation.reason });
    }

    const id = newEntryId();
    const at = ctx.now();
    ctx.db
      .prepare(
        `INSERT INTO entries (id, kind, title, body, tags, scope, source_run, source_task, fingerprint, terms, valid_from, supersedes, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id, kind, title, proposal.text, joinTags(tags), proposal.scope ?? 'repo', proposal.source?.runId ?? null,
        proposal.source?.taskId ?? null, print, terms.join(' '), at, JSON.stringify(closing.map((c) => c.row.id)), status, at, at,
      );
    setAnchors(ctx.db, id, anchors);
    setTags(ctx.db, id, tags);
    ctx.onIndexed?.(terms);
    const origin = proposal.source ? `from ${proposal.source.runId}/${proposal.source.taskId}` : 'added';
    addHistory(ctx.db, id, at, 'admitted', status === 'proposed' ? `${origin}; proposed, waiting for \`coordinate memory accept ${id}\`` : origin);
    for (const { row, reason } of closing) {
      closeEntry(ctx.db, row.id, at, 'superseded', `superseded by ${id}: ${reason}`, id);
    }
    if (status === 'proposed') return { id, action: 'proposed' };
    return closing.length > 0 ? { id, action: 'superseded', superseded: closing.map((c) => c.row.id) } : { id, action: 'inserted' };
  });
  return run.immediate();
}

/** Ends an entry's validity without deleting it; the reason stays in its history. */
export function closeEntry(
  db: Database.Database,
  id: string,
  at: number,
  status: 'superseded' | 'archived',
  reason: string,
  supersededBy?: string,
): void {
  db.prepare(
    'UPDATE entries SET status = ?, valid_to = ?, close_reason = ?, superseded_by = coalesce(?, superseded_by), updated_at = ? WHERE id = ?',
  ).run(status, at, reason, supersededBy ?? null, at, id);
  addHistory(db, id, at, status, reason);
}
