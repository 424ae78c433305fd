import { formatZodError } from '@coordinate/protocol';
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { statement } from './statements.js';
import type { BlobHasher } from './blob-sha.js';
import type { Doclists } from './doclists.js';
import { isDirectiveText } from './directives.js';
import { MemoryError } from './errors.js';
import { addHistory, anchorsOf, joinTags, normalizeTag, setAnchors, setTags, splitTags, type EntryRow } from './rows.js';
import { filesOf, subjectsOf } from './extraction.js';
import { linkNewEntry } from './linking.js';
import { addRelation } from './relations.js';
import { MemoryProposal, type AdmitResult, type Anchor } from './schema.js';
import { refuseSecrets } from './secret-guard.js';
import { admittedStatus, mayClose } from './directive-authority.js';
import { relate, similarEntries } from './similar.js';
import { eventSpan } from './temporal.js';
import { fingerprint, firstLine, uniqueTerms } from './terms.js';
import { writeTransaction } from './write-transaction.js';

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
    throw new MemoryError('invalid_input', `invalid memory proposal: ${formatZodError(parsed.error)}`, {
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
  statement(ctx.db, 'UPDATE entries SET tags = ?, version = version + 1, updated_at = ?, valid_from = min(valid_from, ?) WHERE id = ?')
    .run(mergedTags, at, at, row.id);
  setTags(ctx.db, row.id, splitTags(mergedTags));
  // Seeing the fact again at today's code confirms it there.
  setAnchors(ctx.db, row.id, anchors);
  if (anchors.some((anchor) => anchor.blobSha)) statement(ctx.db, 'UPDATE entries SET needs_revalidation = 0 WHERE id = ?').run(row.id);
  const source = proposal.source ? ` from ${proposal.source.runId}/${proposal.source.taskId}` : '';
  addHistory(ctx.db, row.id, at, 'merged', `${how}${source}: ${proposal.text}`);
  return { id: row.id, action: 'merged' };
}

/**
 * Two statements are about the same subject when they have the same scope and, when both name
 * files, at least one file in common: a claim about src/math.js never replaces one about src/mul.js.
 */
function sameSubject(a: { scope: string; files: string[] }, b: { scope: string; files: string[] }): boolean {
  if (a.scope !== b.scope) return false;
  // A statement that names no file speaks of the whole scope, so it may update one that does.
  if (a.files.length === 0 || b.files.length === 0) return true;
  return a.files.some((file) => b.files.includes(file));
}

/**
 * Admits one proposal: merges it into an exact or near duplicate about the same subject, closes the
 * entries it contradicts on that subject (keeping the reason), or inserts it, then links it to what
 * it is about, what it follows and what it fixes. Opposing directives close the older one only when
 * a person made the newer; otherwise both stay and a `contradicts` relation holds them for the
 * person (`coordinate memory conflicts`). Runs in an immediate transaction, retried while another
 * process holds the database, so concurrent coordinators take turns and never admit one entry twice.
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
  const subjects = subjectsOf(proposal.text, anchors);
  const scope = proposal.scope ?? 'repo';
  const mine = { scope, files: filesOf(subjects) };
  const byPerson = proposal.source === undefined;

  return writeTransaction(ctx.db, (): AdmitResult => {
    const exact = statement(ctx.db, "SELECT * FROM entries WHERE fingerprint = ? AND +status IN ('active', 'quarantined') LIMIT 1")
      .get(print) as EntryRow | undefined;
    if (exact) return mergeInto(ctx, exact, proposal, tags, anchors, 'same text proposed again');

    const closing: { row: EntryRow; reason: string }[] = [];
    const conflicting: { row: EntryRow; reason: string }[] = [];
    for (const row of similarEntries(ctx.db, ctx.doclists, proposal.text, ctx.df, 12)) {
      if (row.kind !== kind && !(row.kind === 'directive' || kind === 'directive')) continue;
      if (!sameSubject(mine, { scope: row.scope, files: filesOf(subjectsOf(row.body, anchorsOf(ctx.db, row.id))) })) continue;
      const relation = relate({ text: row.body }, { text: proposal.text });
      if (relation.kind === 'duplicate') return mergeInto(ctx, row, proposal, tags, anchors, 'near duplicate proposed');
      if (relation.kind !== 'contradiction') continue;
      // A task's opposite of a directive, or a change a task may not make to a person's entry, waits for the person;
      // so does anything a proposed directive contradicts, as it is not in force until a person accepts it.
      const opposingDirectives = row.kind === 'directive' && kind === 'directive';
      const mayCloseRow = status === 'active' && mayClose(row, proposal) && !(opposingDirectives && !byPerson);
      (mayCloseRow ? closing : conflicting).push({ row, reason: relation.reason });
    }

    const id = newEntryId();
    const at = ctx.now();
    statement(
      ctx.db,
      `INSERT INTO entries (id, kind, title, body, tags, scope, source_run, source_task, fingerprint, terms, valid_from, supersedes, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
      .run(
        id, kind, title, proposal.text, joinTags(tags), scope, proposal.source?.runId ?? null,
        proposal.source?.taskId ?? null, print, terms.join(' '), at, JSON.stringify(closing.map((c) => c.row.id)), status, at, at,
      );
    setAnchors(ctx.db, id, anchors);
    setTags(ctx.db, id, tags);
    const span = eventSpan(proposal.text, at);
    if (span) statement(ctx.db, 'UPDATE entries SET event_from = ?, event_to = ? WHERE id = ?').run(span.from, span.to, id);
    ctx.onIndexed?.(terms);
    const origin = proposal.source ? `from ${proposal.source.runId}/${proposal.source.taskId}` : 'added';
    addHistory(ctx.db, id, at, 'admitted', status === 'proposed' ? `${origin}; proposed, waiting for \`coordinate memory accept ${id}\`` : origin);
    linkNewEntry(ctx.db, { id, kind, text: proposal.text, subjects, ...(proposal.source ? { source: proposal.source } : {}) }, at);
    for (const { row, reason } of closing) {
      closeEntry(ctx.db, row.id, at, 'superseded', `superseded by ${id}: ${reason}`, id);
    }
    for (const { row, reason } of conflicting) {
      addRelation(ctx.db, id, 'contradicts', row.id, at, reason);
      addHistory(ctx.db, row.id, at, 'contradicted', `${id} says otherwise (${reason}); both stay until a person decides`);
    }
    const conflicts = conflicting.length > 0 ? { conflicts: conflicting.map((c) => c.row.id) } : {};
    if (status === 'proposed') return { id, action: 'proposed', ...conflicts };
    return closing.length > 0 ? { id, action: 'superseded', superseded: closing.map((c) => c.row.id), ...conflicts } : { id, action: 'inserted', ...conflicts };
  });
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
  statement(
    db,
    'UPDATE entries SET status = ?, valid_to = ?, close_reason = ?, superseded_by = coalesce(?, superseded_by), updated_at = ? WHERE id = ?',
  ).run(status, at, reason, supersededBy ?? null, at, id);
  if (supersededBy) addRelation(db, supersededBy, 'supersedes', id, at, reason);
  addHistory(db, id, at, status, reason);
}
