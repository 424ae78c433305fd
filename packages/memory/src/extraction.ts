import type { Anchor } from './schema.js';
import { identifiersOf, isStopword } from './terms.js';

/**
 * What an entry is about, as subject keys: `file:<path>` (its anchors and the paths its text names),
 * `symbol:<identifier>` (code names), `command:<text>` (code-formatted commands) and `name:<word>`
 * (people and named things). Two entries with a key in common are about the same thing.
 */
export type SubjectKind = 'file' | 'symbol' | 'command' | 'name';

const PATH = /(?:^|[\s(`"'])((?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z0-9]{1,8}|(?:[\w@.-]+\/)+[\w@.*-]+)(?=$|[\s)`"',;:!?]|\.(?:\s|$))/g;
const CODE_SPAN = /`([^`\n]{2,80})`/g;
/** A capitalised word: one capital and lower-case letters, or two such parts ("McKenzie"). */
const CAPITALISED = /(?<![\p{L}\p{N}_'’-])([A-Z][a-z]{2,}(?:[A-Z][a-z]+)?)(?![\p{L}\p{N}_])/gu;
/** What ends just before a word that opens a sentence, a line or a speaker's words ("Tim: Yeah, …"), with any opening quote or bracket. */
const OPENER_BEFORE = /(?:^|[.!?:;…]|\n)\s*["'“‘([]*$/;
/** How far back `OPENER_BEFORE` looks: enough for a full stop, spaces and a quote. */
const OPENER_REACH = 12;
const LOWER_CASE_WORD = /(?<![\p{L}\p{N}_'’-])[a-z]{3,}(?![\p{L}\p{N}_])/gu;
const SPEAKER_LABEL = /^\s*([A-Z][a-z]{2,}):/;
/** Words of talk that are capitalised where they stand alone or open a reply, never names. */
const INTERJECTIONS = new Set(
  `yes yeah yep yup nope nah wow woah whoa woo woohoo aww awww oh ooh oof ah aha hey hi hello bye goodbye thanks thank cheers
  congrats congratulations sorry haha lol hmm umm yay yum never always`.split(/\s+/),
);
const COMMAND_HEADS = /^(npm|npx|pnpm|yarn|node|git|make|cargo|go|python|pip|docker|kubectl|bash|sh|tsc|vitest|jest|coordinate)\b/;

export const subjectKey = (kind: SubjectKind, value: string): string => `${kind}:${value}`;

export function pathsIn(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(PATH)) {
    const path = match[1]!.replace(/^\.\//, '');
    // A version ("1.2.3") or a sentence's last word before a full stop is not a path.
    if (/^[\d.]+$/.test(path) || !/[A-Za-z]/.test(path)) continue;
    if (!path.includes('/') && !/\.(?:[cm]?[jt]sx?|json|md|ya?ml|toml|py|go|rs|java|rb|sh|css|html|sql|lock)$/.test(path)) continue;
    found.add(path);
  }
  return [...found];
}

/** The name a note is labelled with ("Caroline: …", who said or owns it), lower-cased, if any. */
export const labelOf = (text: string): string | undefined => SPEAKER_LABEL.exec(text)?.[1]?.toLowerCase();

/**
 * The people and named things a text names, lower-cased. A capital only says "name" inside a
 * sentence: a word that opens a sentence or a speaker's words is capitalised anyway, so it counts
 * only when the text also capitalises it inside one. A word the text also writes in lower case
 * ("So" and "so"), a stopword and an interjection are never names.
 */
function namesIn(text: string): string[] {
  const names = new Set<string>();
  const label = labelOf(text);
  if (label) names.add(label);
  const lowerCase = new Set(text.match(LOWER_CASE_WORD));
  for (const match of text.matchAll(CAPITALISED)) {
    const word = match[1]!;
    const lower = word.toLowerCase();
    if (lowerCase.has(lower) || isStopword(lower) || INTERJECTIONS.has(lower)) continue;
    // Nothing but spaces and quotes in reach counts as an opening too: a word that far from any other starts a line.
    if (!OPENER_BEFORE.test(text.slice(Math.max(0, match.index - OPENER_REACH), match.index))) names.add(lower);
  }
  return [...names];
}

/** The subject keys of an entry from its text and anchors, each kind deduplicated. */
export function subjectsOf(text: string, anchors: readonly Anchor[] = []): string[] {
  const files = new Set([...anchors.map((a) => a.path.replace(/^\.\//, '')), ...pathsIn(text)]);
  const keys = new Set<string>([...files].map((path) => subjectKey('file', path)));
  for (const match of text.matchAll(CODE_SPAN)) {
    const span = match[1]!.trim();
    if (COMMAND_HEADS.test(span)) keys.add(subjectKey('command', span.toLowerCase()));
  }
  for (const identifier of identifiersOf(text)) {
    if (!files.has(identifier) && !identifier.includes('/')) keys.add(subjectKey('symbol', identifier.toLowerCase()));
  }
  for (const name of namesIn(text)) keys.add(subjectKey('name', name));
  return [...keys];
}

export const filesOf = (subjects: readonly string[]): string[] =>
  subjects.filter((key) => key.startsWith('file:')).map((key) => key.slice('file:'.length));
