import { createHash } from 'node:crypto';

const STOPWORDS = new Set(
  `a about above after again all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers him his how i if
  in into is it its itself just let me more most my no nor of off on once only or other our ours out over own same she
  should so some such than that the their theirs them then there these they this those through to too under until up us
  very was we were what when where which while who whom why will with would you your yours ok okay please whats hows
  thing things way get got make sure`.split(/\s+/),
);

/** Ordered longest first, so one strip removes the whole inflection. */
const SUFFIXES = [
  'ational', 'ations', 'ements', 'ation', 'ators', 'ement', 'ments', 'ities', 'ables', 'ibles', 'izers', 'izing', 'ising',
  'ating', 'ator', 'ment', 'ings', 'ness', 'able', 'ible', 'izer', 'izes', 'ized', 'ises', 'ised', 'ates', 'ated', 'ives',
  'ions', 'ing', 'ity', 'ive', 'ize', 'ise', 'ate', 'ion', 'ers', 'ies', 'ied', 'er', 'es', 'ed', 'ly', 's', 'e',
];

/** A word too common to say what a text is about ("the", "so", "your"); `word` lower-cased. */
export const isStopword = (word: string): boolean => STOPWORDS.has(word);

/** A light suffix stripper: enough for "configured", "configuration" and "configure" to meet. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const suffix of SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    let root = word.slice(0, -suffix.length);
    if (root.length < 3) continue;
    if (suffix === 's' && /(ss|us|is)$/.test(word)) return word;
    if (/([b-df-hj-np-tv-z])\1$/.test(root) && !/(ss|ll|zz)$/.test(root)) root = root.slice(0, -1);
    return root;
  }
  return word;
}

const RAW_TOKEN = /[A-Za-z0-9_]+/g;

function splitIdentifier(token: string): string[] {
  return token
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[_\s]+/)
    .filter(Boolean);
}

/**
 * The words a text is indexed and searched by: content words stemmed, and each code identifier both
 * whole (`ratelimiter`) and in parts (`rate`, `limit`), so a search for either finds it.
 */
export function termsOf(text: string): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(RAW_TOKEN)) {
    const raw = match[0];
    const parts = splitIdentifier(raw);
    if (parts.length > 1) out.push(raw.replace(/_/g, '').toLowerCase());
    for (const part of parts) {
      const lower = part.toLowerCase();
      if (lower.length < 2 || STOPWORDS.has(lower)) continue;
      out.push(stem(lower));
    }
  }
  return out;
}

export const uniqueTerms = (text: string): string[] => [...new Set(termsOf(text))];

/** "What kind of", "how many": the form of a question, which says nothing about its topic ("kind" would match "your kind words"). */
const QUESTION_FORM = /\b(?:what|which) (?:kinds?|types?|sorts?) of\b|\bhow (?:many|much|long|often)\b/gi;

/** The question's words without its form: what retrieval searches by. */
export const questionTerms = (text: string): string[] => uniqueTerms(text.replace(QUESTION_FORM, ' '));

/** Code-like tokens (camelCase, snake_case, dotted or slashed names) worth a substring search. */
export function identifiersOf(text: string): string[] {
  const found = text.match(/[A-Za-z_][A-Za-z0-9_]*(?:[./-][A-Za-z0-9_]+)+|[A-Za-z]*[a-z][A-Z][A-Za-z0-9]*|[A-Za-z0-9]+_[A-Za-z0-9_]+/g) ?? [];
  return [...new Set(found.filter((token) => token.length >= 4))];
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Two texts that differ only in case, spacing or punctuation share a fingerprint. */
export function fingerprint(kind: string, text: string): string {
  const normal = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return createHash('sha1').update(`${kind}\n${normal}`).digest('hex');
}

/** Close enough to a model's count for budgeting: about four characters a token. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

const NEGATIONS = /\b(never|not|no|don't|dont|do not|avoid|stop|without|must not|mustn't|shouldn't|cannot|can't|disable[sd]?)\b/i;
export const isNegative = (text: string): boolean => NEGATIONS.test(text);

/** The concrete values a statement commits to: numbers, versions, paths and quoted or code-formatted names. */
export function valuesOf(text: string): Set<string> {
  const values = new Set<string>();
  for (const match of text.matchAll(/`([^`]+)`|"([^"]+)"|([^\s`"]*\/[^\s`"]*)|\b(\d+(?:\.\d+)*)\b/g)) {
    values.add((match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').toLowerCase().replace(/[.,;:]+$/, ''));
  }
  return values;
}

/** The first sentence or line, cut to a length that fits a one-line summary. */
export function firstLine(text: string, max = 140): string {
  const line = (text.split(/\n/)[0] ?? '').trim();
  const sentence = line.match(/^(.+?[.!?])(\s|$)/)?.[1] ?? line;
  return sentence.length <= max ? sentence : `${sentence.slice(0, max - 1).trimEnd()}…`;
}
