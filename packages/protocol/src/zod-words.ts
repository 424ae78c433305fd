import { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  tuple: 'a list',
  object: 'an object',
  record: 'an object',
  map: 'a map',
  set: 'a set',
  date: 'a date',
  null: 'null',
  function: 'a function',
  file: 'a file',
  symbol: 'a symbol',
};

const FORMATS: Record<string, string> = {
  url: 'a URL such as https://example.com',
  email: 'an email address',
  uuid: 'a UUID',
  guid: 'a GUID',
  datetime: 'a date and time such as 2026-01-31T12:00:00Z',
  date: 'a date such as 2026-01-31',
  time: 'a time such as 12:00:00',
  duration: 'an ISO 8601 duration such as PT5M',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  cidrv4: 'an IPv4 range such as 10.0.0.0/8',
  cidrv6: 'an IPv6 range',
  base64: 'base64 text',
  base64url: 'base64url text',
  hostname: 'a host name',
  jwt: 'a JSON Web Token',
};

/** A field's path as a person reads it: `budgets.maxCostUsd`, `pricing["claude-x"].input`, `tasks[2].role`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

/** A value as a person would write it, cut to stay one short line. */
export function shownValue(value: unknown): string {
  const text = typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** What a value is, in words: `a number (42)`, `text ("four")`, `a list`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `text (${shownValue(value)})`;
    case 'number':
    case 'bigint':
      return `a number (${shownValue(value)})`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

const listed = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : shownValue(v))).join(', ');

function sizeWords(origin: string, size: number | bigint): string {
  if (origin === 'string') return `${size} character${size === 1 ? '' : 's'}`;
  if (origin === 'file') return `${size} bytes`;
  return `${size} item${size === 1 ? '' : 's'}`;
}

const sizeOf = (input: unknown): number | undefined =>
  typeof input === 'string' || Array.isArray(input) ? input.length : input instanceof Set || input instanceof Map ? input.size : undefined;

const isNumeric = (origin: string) => origin === 'number' || origin === 'int' || origin === 'bigint';

function tooSmall(issue: z.core.$ZodIssueTooSmall, input: unknown): string {
  const { origin, minimum } = issue;
  if (isNumeric(origin)) return `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${minimum}; got ${shownValue(input)}`;
  if (origin === 'date') return `must be on or after ${new Date(Number(minimum)).toISOString()}`;
  if (issue.exact) return `must be exactly ${sizeWords(origin, minimum)} long`;
  if (Number(minimum) <= 1) return 'must not be empty';
  return `must have at least ${sizeWords(origin, minimum)} (it has ${sizeOf(input) ?? 'fewer'})`;
}

function tooBig(issue: z.core.$ZodIssueTooBig, input: unknown): string {
  const { origin, maximum } = issue;
  if (isNumeric(origin)) return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${maximum}; got ${shownValue(input)}`;
  if (origin === 'date') return `must be on or before ${new Date(Number(maximum)).toISOString()}`;
  if (issue.exact) return `must be exactly ${sizeWords(origin, maximum)} long`;
  return `must have at most ${sizeWords(origin, maximum)} (it has ${sizeOf(input) ?? 'more'})`;
}

function badFormat(issue: z.core.$ZodStringFormatIssues, input: unknown): string {
  const got = typeof input === 'string' ? `; got ${shownValue(input)}` : '';
  switch (issue.format) {
    case 'regex':
      return `must match the pattern ${issue.pattern}${got}`;
    case 'starts_with':
      return `must start with ${shownValue(issue.prefix)}${got}`;
    case 'ends_with':
      return `must end with ${shownValue(issue.suffix)}${got}`;
    case 'includes':
      return `must contain ${shownValue(issue.includes)}${got}`;
    default:
      return `must be ${FORMATS[issue.format] ?? `a valid ${issue.format}`}${got}`;
  }
}

function unknownKeys(keys: readonly string[], schema: unknown): string {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  const known = shape ? Object.keys(shape) : [];
  const names = keys.map((key) => shownValue(key)).join(', ');
  return `unknown key${keys.length === 1 ? '' : 's'} ${names}${known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`;
}

/**
 * When every branch of a union failed on the value's kind alone (text or a list, not a number), the
 * kinds the union takes; otherwise undefined, and the branch that came closest explains the problem.
 */
export function unionKinds(branches: readonly (readonly z.core.$ZodIssue[])[]): string[] | undefined {
  const kinds: string[] = [];
  for (const issues of branches) {
    const [only] = issues;
    if (issues.length !== 1 || !only || only.path.length > 0) return undefined;
    if (only.code === 'invalid_type') kinds.push(KINDS[only.expected] ?? only.expected);
    else if (only.code === 'invalid_value') kinds.push(...only.values.map((v) => shownValue(v)));
    else return undefined;
  }
  return kinds;
}

const MISSING = 'is missing';

/**
 * The branch of a failed union the value came closest to: among those that got past the kind check,
 * the fewest problems, a missing field counting more than a wrong one (the value has the keys of that branch).
 */
export function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] {
  const rank = (issues: readonly z.core.$ZodIssue[]) =>
    issues.some((issue) => issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_union'))
      ? Number.MAX_SAFE_INTEGER
      : issues.reduce((sum, issue) => sum + (issue.message === MISSING ? 2 : 1), 0);
  return [...branches].sort((a, b) => rank(a) - rank(b))[0] ?? [];
}

function union(issue: z.core.$ZodIssueInvalidUnion, input: unknown): string {
  if (issue.discriminator !== undefined && issue.errors.length === 0) {
    const options = 'options' in issue && issue.options ? listed(issue.options) : undefined;
    const found = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : input;
    return `${options ? `must be one of ${options}` : 'is not a known kind'}; got ${found === undefined ? 'nothing' : shownValue(found)}`;
  }
  if (issue.errors.length === 0) return 'matches more than one accepted form';
  const kinds = unionKinds(issue.errors);
  if (kinds) return `must be ${kinds.join(' or ')}, not ${kindOf(input)}`;
  const [first] = closestBranch(issue.errors);
  return first ? `${first.path.length > 0 ? `${fieldPath(first.path)}: ` : ''}${first.message}` : 'is not valid';
}

/**
 * Every zod issue in plain words, as a predicate on the field it is about ("must be text, not a
 * number (42)", "must be one of research, implement, verify; got \"build\""), never zod's own
 * wording. Installed for the whole process below; a message a schema states itself still wins,
 * since zod ranks a schema's own message above the configured map.
 */
export function plainIssueMessage(issue: RawIssue): string {
  const { input } = issue;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return issue.expected === 'undefined' || issue.expected === 'never' ? 'must not be set' : MISSING;
      if (issue.expected === 'never' || issue.expected === 'undefined') return 'must not be set';
      if (issue.expected === 'int' && typeof input === 'number') return `must be a whole number; got ${shownValue(input)}`;
      return `must be ${KINDS[issue.expected] ?? issue.expected}, not ${kindOf(input)}`;
    case 'invalid_value':
      if (issue.values.length === 1) return `must be ${shownValue(issue.values[0])}; got ${shownValue(input)}`;
      return `must be one of ${listed(issue.values)}; got ${shownValue(input)}`;
    case 'too_small':
      return tooSmall(issue as z.core.$ZodIssueTooSmall, input);
    case 'too_big':
      return tooBig(issue as z.core.$ZodIssueTooBig, input);
    case 'invalid_format':
      return badFormat(issue as z.core.$ZodStringFormatIssues, input);
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}; got ${shownValue(input)}`;
    case 'unrecognized_keys':
      return unknownKeys(issue.keys, issue.inst);
    case 'invalid_union':
      return union(issue as z.core.$ZodIssueInvalidUnion, input);
    case 'invalid_key':
      return `is not an accepted key: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    case 'invalid_element':
      return `holds an element that is not valid: ${issue.issues.map((inner) => inner.message).join('; ')}`;
    default:
      return 'is not valid';
  }
}

z.config({ customError: plainIssueMessage });
