export const REDACTED = '[REDACTED]';

/** Returns `text` with every known secret and every credential-shaped substring replaced by `[REDACTED]`. */
export type Redactor = (text: string) => string;

/**
 * Credential shapes redacted even when their value was never collected as a secret
 * (a key pasted into a prompt, a header echoed by a proxy). Each keeps its label so a
 * reader still sees what was there; the value classes stop at quotes and backslashes
 * so a redacted JSON line stays valid JSON.
 */
const SHAPES: [RegExp, string][] = [
  [/sk-ant-[A-Za-z0-9_-]+/g, REDACTED],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  [/(x-api-key\\?["']?\s*[:=]\s*\\?["']?)[^\s"'\\,;}]+/gi, `$1${REDACTED}`],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How a secret looks inside a JSON string, where quotes, backslashes and control characters are escaped. */
const jsonForm = (secret: string) => JSON.stringify(secret).slice(1, -1);

export function createRedactor(secrets: string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    forms.add(secret);
    forms.add(jsonForm(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const known = ordered.length > 0 ? new RegExp(ordered.map(escapeRegExp).join('|'), 'g') : undefined;
  return (text) => {
    let out = known ? text.replace(known, REDACTED) : text;
    for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
    return out;
  };
}
