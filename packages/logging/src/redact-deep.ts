import { REDACTED, type Redactor } from './redact.js';

/** Key names (compared without case, "-" or "_") whose values are credentials whatever they contain. */
const SENSITIVE_KEYS = new Set([
  'authorization',
  'proxyauthorization',
  'xapikey',
  'apikey',
  'token',
  'accesstoken',
  'refreshtoken',
  'authtoken',
  'password',
  'passwd',
  'secret',
  'clientsecret',
  'cookie',
  'setcookie',
]);

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * A copy of a JSON-like value with every string passed through `redactor` and every value
 * under a credential key replaced by `[REDACTED]`. Errors become plain objects (name,
 * message, stack and their own fields) so they can be written out; cycles become "[Circular]".
 */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  return copy(value, redactor, new WeakSet()) as T;
}

function copy(value: unknown, redactor: Redactor, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactor(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, redactor, seen));
    const source =
      value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack } : value;
    if (!(value instanceof Error) && !isPlainObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(source)) {
      out[key] = isSensitiveKey(key) && item !== undefined && item !== null ? REDACTED : copy(item, redactor, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
