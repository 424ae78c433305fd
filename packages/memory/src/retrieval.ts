import type Database from 'better-sqlite3';
import { statement } from './statements.js';
import picomatch from 'picomatch';
import type { MemoryKind } from '@coordinate/protocol';
import type { BlobHasher } from './blob-sha.js';
import type { Doclists } from './doclists.js';
import type { CompiledDirective } from './directives.js';
import { calibrateFloor, sharedDistinctive } from './calibration.js';
import { expandFromSeeds, type Reached } from './graph-expansion.js';
import { labelOf, subjectsOf } from './extraction.js';
import { feedbackMatch, feedbackTerms } from './query-expansion.js';
import { entriesAbout } from './relations.js';
import { fuse, idf, quality, recency, TEXT_WEIGHT } from './ranking.js';
import { overlaps, timesIn, type TimeSpan } from './temporal.js';
import { normalizeTag, parentDir, splitTags, type EntryRow } from './rows.js';
import { estimateTokens, identifiersOf, questionTerms } from './terms.js';
import { filesOf, subjectKey } from './extraction.js';

export interface RetrieveQuery {
  query: string;
  /** The files the task will read or edit: entries anchored there, and directives guarding them, rank up. */
  files?: string[];
  tags?: string[];
  /** A hard cap on the tokens of the summaries returned (relevant directives are always returned). */
  tokenBudget: number;
  limit?: number;
  /** When given, anchors are checked against the files as they are now. */
  repoRoot?: string;
}

export interface RetrievedEntry {
  id: string;
  kind: MemoryKind;
  title: string;
  /** One line with the id, ready for a prompt; the body is read on demand with `get`. */
  summary: string;
  score: number;
  needsRevalidation: boolean;
  tokens: number;
}

/** Below this share of the query's (or the entry's) weighty words, an entry is noise, not memory. */
const MIN_TEXT_RELEVANCE = 0.5;
/** A word in more than this share of entries says little and costs much to match. */
const MAX_DF_SHARE = 0.05;
/** About three distinctive shared words (each in well under 1% of entries) make an entry relevant whatever else the query says. */
const MIN_SHARED_IDF = 12;
const WORD_CANDIDATES = 60;
/** The first hits whose relations retrieval follows. */
const SEEDS = 8;
/**
 * Score added to an entry about a file, symbol or command the question names (its `about` relations),
 * or labelled with a person the question names ("Caroline: …" for "what does Caroline paint?").
 */
const SUBJECT_MATCH = 0.5;
/** Score added to an entry that only mentions a person the question names: half the conversation addresses them. */
const NAME_MENTIONED = 0.2;
/** Score an entry gains for holding all of the feedback words of the first hits (query-expansion.ts). */
const FEEDBACK_WEIGHT = 0.3;
/** What an entry keeps of its score when the question names a time the entry is not from. */
const OTHER_TIME = 0.75;
const MAX_SEARCH_TERMS = 6;
/** Doclist rows one search may read: about 2 ms of SQLite stepping. */
const DOCLIST_ROW_BUDGET = 8000;
/**
 * Doclist rows the feedback search may read: feedback words are the first hits' distinctive ones,
 * and a common one among them pulls in entries that share only it (slower and worse on bench:memory).
 */
const FEEDBACK_ROW_BUDGET = 1000;

export interface RetrievalContext {
  db: Database.Database;
  doclists: Doclists;
  now: number;
  df(term: string): number;
  docCount: number;
  /** The mean number of indexed words per entry, for BM25's length normalisation. */
  averageLength: number;
  directives: readonly DirectiveMatcher[];
  hasher?: BlobHasher;
}

export interface DirectiveMatcher {
  directive: CompiledDirective;
  guards: (file: string) => boolean;
  /** The forbidden commands without their trailing wildcard, lower-cased, to spot in a task's text. */
  commandStems: string[];
}

export function directiveMatcher(directive: CompiledDirective): DirectiveMatcher {
  const globs = directive.paths ?? [];
  const match = globs.length > 0 ? picomatch(globs, { dot: true }) : undefined;
  const commandStems = (directive.commands ?? []).map((pattern) => pattern.replace(/\*+$/, '').trim().toLowerCase()).filter(Boolean);
  return { directive, guards: (file) => match?.(file) ?? false, commandStems };
}

const BM25_K1 = 1.2;
const BM25_B = 0.75;

/** Only what ranking reads: bodies stay on disk until someone asks for one. */
const RANK_COLUMNS =
  'e.seq, e.id, e.kind, e.title, e.tags, e.terms, e.status, e.valid_from, e.event_from, e.event_to, e.successes, e.failures, e.last_used_at, e.needs_revalidation';
type RankRow = Pick<
  EntryRow,
  | 'seq' | 'id' | 'kind' | 'title' | 'tags' | 'terms' | 'status' | 'valid_from' | 'event_from' | 'event_to' | 'successes' | 'failures'
  | 'last_used_at' | 'needs_revalidation'
> & {
  /** `terms` split once: ranking, feedback and multi-hop each read a row's words. */
  words: string[];
  wordSet: Set<string>;
};
type RankTuple = [number, string, RankRow['kind'], string, string, string, RankRow['status'], number, number | null, number | null, number, number, number | null, number];

/**
 * The rows of `sql` (which selects `RANK_COLUMNS` in order). Read as arrays and shaped here: the
 * driver names each column of each row as it builds an object, which costs twice the whole read.
 */
function rankRows(db: Database.Database, sql: string, params: readonly unknown[]): RankRow[] {
  const tuples = statement(db, sql).raw(true).all(...params) as RankTuple[];
  return tuples.map(([seq, id, kind, title, tags, terms, status, valid_from, event_from, event_to, successes, failures, last_used_at, needs_revalidation]) => {
    const words = terms.split(' ');
    return { seq, id, kind, title, tags, terms, status, valid_from, event_from, event_to, successes, failures, last_used_at, needs_revalidation, words, wordSet: new Set(words) };
  });
}
// The unary plus keeps SQLite on the primary key: the status index would scan every live entry.
const LIVE = "+e.status IN ('active', 'quarantined')";

interface Candidate {
  row: RankRow;
  identifierHit: boolean;
  directiveHit: boolean;
}

function weightedCoverage(terms: readonly string[], present: ReadonlySet<string>, weight: (term: string) => number) {
  let total = 0;
  let covered = 0;
  let matched = 0;
  // covered is the idf mass the entry shares with the query: enough distinctive shared words are relevant even in a long, many-sided query.
  for (const term of terms) {
    const w = weight(term);
    total += w;
    if (present.has(term)) {
      covered += w;
      matched++;
    }
  }
  return { share: total === 0 ? 0 : covered / total, matched, mass: covered };
}

function directiveHits(directives: readonly DirectiveMatcher[], files: readonly string[], query: string): Set<string> {
  const hits = new Set<string>();
  const text = query.toLowerCase();
  for (const { directive, guards, commandStems } of directives) {
    if (files.some(guards) || commandStems.some((stem) => text.includes(stem))) hits.add(directive.id);
  }
  return hits;
}

function gather(ctx: RetrievalContext, q: RetrieveQuery, searchTerms: { term: string; weight: number; df: number }[], everyWord: string[], files: string[], tags: string[]) {
  const found = new Map<number, Candidate>();
  const add = (row: RankRow, patch: Partial<Candidate>) => {
    const current = found.get(row.seq) ?? { row, identifierHit: false, directiveHit: false };
    found.set(row.seq, { ...current, ...patch });
  };
  const live = LIVE;
  const hits = [...new Set([...ctx.doclists.weighted(searchTerms, WORD_CANDIDATES, DOCLIST_ROW_BUDGET).map((hit) => hit.rowid), ...ctx.doclists.docsWithAll(everyWord, WORD_CANDIDATES)])];
  if (hits.length > 0) {
    const rows = rankRows(ctx.db, `SELECT ${RANK_COLUMNS} FROM entries e WHERE e.seq IN (${hits.map(() => '?').join(',')}) AND ${live}`, hits);
    for (const row of rows) add(row, {});
  }
  // A whole identifier is a word of the index already; only fragments ("RateLimiter" of createRateLimiter) need trigrams.
  const fragments = identifiersOf(q.query).filter((identifier) => ctx.df(identifier.replace(/_/g, '').toLowerCase()) === 0);
  for (const identifier of fragments.slice(0, 2)) {
    const rows = rankRows(ctx.db, `SELECT ${RANK_COLUMNS} FROM entries_trigram t JOIN entries e ON e.seq = t.rowid WHERE entries_trigram MATCH ? AND ${live} LIMIT 20`, [
      `"${identifier.replace(/"/g, '""')}"`,
    ]);
    for (const row of rows) add(row, { identifierHit: true });
  }
  if (files.length > 0) {
    const marks = files.map(() => '?').join(',');
    const dirs = [...new Set(files.map(parentDir))];
    const rows = rankRows(
      ctx.db,
      `SELECT DISTINCT ${RANK_COLUMNS} FROM anchors a JOIN entries e ON e.id = a.entry_id
       WHERE (a.path IN (${marks}) OR a.dir IN (${dirs.map(() => '?').join(',')})) AND ${live} LIMIT 100`,
      [...files, ...dirs],
    );
    // Entries whose text names the file are about it as much as those anchored there.
    const named = rankRows(ctx.db, `SELECT DISTINCT ${RANK_COLUMNS} FROM relations r JOIN entries e ON e.id = r.from_id WHERE r.to_id IN (${marks}) AND r.type = 'about' AND ${live} LIMIT 100`, files.map(fileSubject));
    for (const row of [...rows, ...named]) add(row, {});
  }
  if (tags.length > 0) {
    const rows = rankRows(ctx.db, `SELECT DISTINCT ${RANK_COLUMNS} FROM entry_tags t JOIN entries e ON e.id = t.entry_id WHERE t.tag IN (${tags.map(() => '?').join(',')}) AND ${live} LIMIT 100`, tags);
    for (const row of rows) add(row, {});
  }
  const guarding = directiveHits(ctx.directives, files, q.query);
  if (guarding.size > 0) {
    const rows = rankRows(ctx.db, `SELECT ${RANK_COLUMNS} FROM entries e WHERE e.id IN (${[...guarding].map(() => '?').join(',')}) AND ${live}`, [...guarding]);
    for (const row of rows) add(row, { directiveHit: true });
  }
  return [...found.values()];
}

/** 1 when the question names no time or the entry is from (or speaks of) a time it names; less otherwise. */
function timeFit(row: RankRow, asked: readonly TimeSpan[]): number {
  if (asked.length === 0) return 1;
  const spans: TimeSpan[] = [{ from: row.valid_from, to: row.valid_from + 1 }];
  if (row.event_from !== null && row.event_to !== null) spans.push({ from: row.event_from, to: row.event_to });
  return spans.some((span) => asked.some((time) => overlaps(span, time))) ? 1 : OTHER_TIME;
}

const fileSubject = (path: string) => subjectKey('file', path);

function anchorState(ctx: RetrievalContext, ids: string[], files: readonly string[]) {
  const state = new Map<string, { exact: boolean; sameDir: boolean; changed: boolean }>();
  // Without the task's files nothing is placed, and without a repository nothing can be seen to change.
  if (ids.length === 0 || (files.length === 0 && !ctx.hasher)) return state;
  const rows = statement(ctx.db, `SELECT entry_id, path, dir, blob_sha FROM anchors WHERE entry_id IN (${ids.map(() => '?').join(',')})`)
    .all(...ids) as { entry_id: string; path: string; dir: string; blob_sha: string | null }[];
  const fileSet = new Set(files);
  const dirSet = new Set(files.map(parentDir));
  const named = files.length === 0 ? [] : (statement(ctx.db, `SELECT from_id, to_id FROM relations WHERE from_id IN (${ids.map(() => '?').join(',')}) AND type = 'about'`)
    .all(...ids) as { from_id: string; to_id: string }[]);
  const stateOf = (id: string) => {
    const s = state.get(id) ?? { exact: false, sameDir: false, changed: false };
    state.set(id, s);
    return s;
  };
  for (const row of rows) {
    const s = stateOf(row.entry_id);
    s.exact ||= fileSet.has(row.path);
    s.sameDir ||= dirSet.has(row.dir);
    if (ctx.hasher && row.blob_sha && ctx.hasher.shaOf(row.path) !== row.blob_sha) s.changed = true;
  }
  // A file the entry's text names (an `about` subject) places it like an anchor does.
  for (const row of named) {
    const [path] = filesOf([row.to_id]);
    if (path === undefined) continue;
    const s = stateOf(row.from_id);
    s.exact ||= fileSet.has(path);
    s.sameDir ||= dirSet.has(parentDir(path));
  }
  return state;
}

/**
 * Finds the entries worth a task's attention: text match (words and identifier fragments), anchors
 * on the task's files, tags, proven quality and recency, fused into one score. Returns nothing when
 * nothing clears the relevance bar, and always returns the directives that guard the task's files.
 */
export function retrieve(ctx: RetrievalContext, q: RetrieveQuery): RetrievedEntry[] {
  const files = (q.files ?? []).map((file) => file.replace(/^\.\//, ''));
  const tags = (q.tags ?? []).map(normalizeTag);
  const queryTerms = questionTerms(`${q.query} ${tags.join(' ')}`);
  const docs = Math.max(1, ctx.docCount);
  const idfs = new Map(queryTerms.map((term) => [term, idf(docs, ctx.df(term))]));
  const weight = (term: string) => idfs.get(term) ?? 0;
  const searchTerms = queryTerms
    .filter((term) => {
      const n = ctx.df(term);
      return n > 0 && n <= Math.max(50, docs * MAX_DF_SHARE);
    })
    .sort((a, b) => weight(b) - weight(a))
    .slice(0, MAX_SEARCH_TERMS)
    .map((term) => ({ term, weight: weight(term), df: ctx.df(term) }));

  // Words too common to rank by (or past the first few) still find the entries that hold every one of them.
  const everyWord = queryTerms.length > 1 && searchTerms.length < queryTerms.length && queryTerms.every((term) => ctx.df(term) > 0) ? queryTerms : [];
  const candidates = gather(ctx, q, searchTerms, everyWord, files, tags);
  const querySet = new Set(queryTerms);
  const floor = calibrateFloor(docs);
  const askedTimes = timesIn(q.query, ctx.now);
  const anchors = anchorState(ctx, candidates.map((c) => c.row.id), files);
  const bm25 = new Map<string, number>();
  for (const c of candidates) {
    const terms = c.row.words;
    const norm = 1 + BM25_K1 * (1 - BM25_B + (BM25_B * terms.length) / Math.max(1, ctx.averageLength));
    bm25.set(c.row.id, terms.reduce((sum, term) => sum + (querySet.has(term) ? (weight(term) * (BM25_K1 + 1)) / norm : 0), 0));
  }
  const bestBm25 = Math.max(1e-9, ...bm25.values());

  const textOf = (row: RankRow) => {
    const terms = row.words;
    const termSet = row.wordSet;
    const fromQuery = weightedCoverage(queryTerms, termSet, weight);
    const fromEntry = weightedCoverage(terms, querySet, () => 1);
    const enoughWords = fromQuery.matched >= Math.min(2, queryTerms.length) || fromQuery.mass >= MIN_SHARED_IDF;
    return { fromQuery, text: enoughWords ? Math.max(fromQuery.share, fromEntry.share) : 0, distinctive: sharedDistinctive(floor, queryTerms, termSet, weight) };
  };
  const entryOf = (row: RankRow, score: number, needsRevalidation: boolean) => {
    const summary = `${row.id} [${row.kind}] ${row.title}${needsRevalidation ? ' (needs revalidation: its code changed)' : ''}`;
    return {
      id: row.id,
      kind: row.kind,
      title: row.title,
      summary,
      score,
      needsRevalidation,
      tokens: estimateTokens(summary),
      mustInclude: row.kind === 'directive' && row.status === 'active',
    };
  };

  const scored = new Map<string, RetrievedEntry & { mustInclude: boolean }>();
  for (const c of candidates) {
    const { fromQuery, text: shared, distinctive } = textOf(c.row);
    const text = c.identifierHit ? Math.max(shared, 0.9) : shared;
    const anchor = anchors.get(c.row.id);
    const fileScore = c.directiveHit || anchor?.exact ? 1 : anchor?.sameDir ? 0.5 : 0;
    const rowTags = splitTags(c.row.tags);
    const tagScore = tags.length === 0 ? 0 : tags.filter((tag) => rowTags.includes(tag)).length / tags.length;
    const relevant =
      text >= MIN_TEXT_RELEVANCE || distinctive >= floor.sharedDistinctive ||
      fromQuery.mass >= MIN_SHARED_IDF || fileScore === 1 || (fileScore > 0 && text >= MIN_TEXT_RELEVANCE / 2) || (tagScore > 0 && text >= MIN_TEXT_RELEVANCE / 2);
    if (!relevant) continue;
    const needsRevalidation = c.row.needs_revalidation === 1 || (anchor?.changed ?? false);
    const score = fuse({
      text: Math.max(text, fromQuery.share),
      bm25: (bm25.get(c.row.id) ?? 0) / bestBm25,
      files: fileScore,
      tags: tagScore,
      quality: quality(c.row.successes, c.row.failures),
      recency: recency(Math.max(c.row.last_used_at ?? 0, c.row.valid_from), ctx.now),
      needsRevalidation,
      quarantined: c.row.status === 'quarantined',
    });
    scored.set(c.row.id, entryOf(c.row, score * timeFit(c.row, askedTimes), needsRevalidation));
  }

  // Query expansion: the first hits' distinctive words find entries that say the same thing in other words.
  const rowOf = new Map(candidates.map((c) => [c.row.id, c.row]));
  const firstHits = [...scored.values()].filter((e) => !e.mustInclude).sort((a, b) => b.score - a.score);
  const expansion = feedbackTerms(firstHits.map((e) => ({ terms: rowOf.get(e.id)!.terms, score: e.score })), querySet, (term) => ctx.df(term), docs);
  if (expansion.length > 0) {
    const more = ctx.doclists.weighted(expansion, WORD_CANDIDATES, FEEDBACK_ROW_BUDGET).map((hit) => hit.rowid).filter((seq) => !candidates.some((c) => c.row.seq === seq));
    const moreRows = more.length === 0 ? [] : rankRows(ctx.db, `SELECT ${RANK_COLUMNS} FROM entries e WHERE e.seq IN (${more.map(() => '?').join(',')}) AND ${LIVE}`, more);
    for (const row of [...rowOf.values(), ...moreRows]) {
      const match = feedbackMatch(expansion, row.wordSet);
      const known = scored.get(row.id);
      if (known) known.score += FEEDBACK_WEIGHT * match;
      else if (match > 0) {
        const { fromQuery } = textOf(row);
        scored.set(row.id, entryOf(row, (FEEDBACK_WEIGHT * match + TEXT_WEIGHT * fromQuery.share) * timeFit(row, askedTimes), row.needs_revalidation === 1));
      }
    }
  }

  // Multi-hop: what the best hits link to inherits a decayed share of their score, more when it also shares the question's words.
  const seeds = new Map([...scored.values()].filter((e) => !e.mustInclude).sort((a, b) => b.score - a.score).slice(0, SEEDS).map((e) => [e.id, e.score]));
  const reached = seeds.size > 0 ? expandFromSeeds(ctx.db, seeds) : new Map<string, Reached>();
  const reachedIds = [...reached.keys()];
  const reachedRows = reachedIds.length === 0 ? [] : rankRows(ctx.db, `SELECT ${RANK_COLUMNS} FROM entries e WHERE e.id IN (${reachedIds.map(() => '?').join(',')}) AND ${LIVE}`, reachedIds);
  for (const row of reachedRows) {
    const { fromQuery } = textOf(row);
    const inherited = reached.get(row.id)!.weight * (0.5 + 0.5 * fromQuery.share) * timeFit(row, askedTimes);
    const known = scored.get(row.id);
    if (known) known.score = Math.max(known.score, inherited);
    else scored.set(row.id, entryOf(row, inherited, row.needs_revalidation === 1));
  }
  const ranked = [...scored.values()];
  const named = subjectsOf(q.query);
  const aboutNamed = entriesAbout(ctx.db, ranked.map((e) => e.id), named);
  const people = new Set(named.filter((key) => key.startsWith('name:')));
  const aboutThings = people.size === named.length ? new Set<string>() : entriesAbout(ctx.db, [...aboutNamed], named.filter((key) => !people.has(key)));
  for (const entry of ranked) {
    if (!aboutNamed.has(entry.id)) continue;
    const label = labelOf(entry.title);
    entry.score += aboutThings.has(entry.id) || (label !== undefined && people.has(subjectKey('name', label))) ? SUBJECT_MATCH : NAME_MENTIONED;
  }
  ranked.sort((a, b) => b.score - a.score);

  const limit = q.limit ?? 10;
  const chosen = ranked.filter((entry) => entry.mustInclude);
  let spent = chosen.reduce((sum, entry) => sum + entry.tokens, 0);
  for (const entry of ranked) {
    if (entry.mustInclude || chosen.length >= limit) continue;
    if (spent + entry.tokens > q.tokenBudget) continue;
    chosen.push(entry);
    spent += entry.tokens;
  }
  return chosen.sort((a, b) => b.score - a.score).map(({ mustInclude: _mustInclude, ...entry }) => entry);
}
