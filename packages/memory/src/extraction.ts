import type { Anchor } from './schema.js';
import { identifiersOf } from './terms.js';

/**
 * What an entry is about, as subject keys: `file:<path>` (its anchors and the paths its text names),
 * `symbol:<identifier>` (code names), `command:<text>` (code-formatted commands) and `name:<word>`
 * (people and named things). Two entries with a key in common are about the same thing.
 */
export type SubjectKind = 'file' | 'symbol' | 'command' | 'name';

const PATH = /(?:^|[\s(`"'])((?:\.{0,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.[A-Za-z0-9]{1,8}|(?:[\w@.-]+\/)+[\w@.*-]+)(?=$|[\s)`"',;:!?]|\.(?:\s|$))/g;
const CODE_SPAN = /`([^`\n]{2,80})`/g;
/** A capitalised word inside a sentence, or a "Name:" label that opens a line (who is speaking). */
const NAME_IN_SENTENCE = /(?<![.!?]\s|^|\n)(?<=\s)([A-Z][a-z]{2,}(?:[A-Z][a-z]+)?)\b/g;
const SPEAKER_LABEL = /^\s*([A-Z][a-z]{2,}):/;
const NOT_NAMES = new Set(['the', 'this', 'that', 'then', 'there', 'they', 'these', 'those', 'what', 'when', 'where', 'which', 'who', 'why', 'how', 'and', 'but', 'for', 'not', 'never', 'always', 'yes', 'hey', 'thanks', 'wow']);
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

function namesIn(text: string): string[] {
  const names = new Set<string>();
  const label = labelOf(text);
  if (label) names.add(label);
  for (const match of text.matchAll(NAME_IN_SENTENCE)) {
    const word = match[1]!.toLowerCase();
    if (!NOT_NAMES.has(word)) names.add(word);
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
