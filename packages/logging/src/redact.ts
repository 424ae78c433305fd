import { redactDetected } from './detect-secrets.js';

export const REDACTED = '[REDACTED]';

/**
 * Returns `text` with every known secret replaced by `[REDACTED]` and every secret the
 * detector finds (`detectSecrets`) by `[redacted:<kind>]`.
 */
export type Redactor = (text: string) => string;

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
    return redactDetected(known ? text.replace(known, REDACTED) : text);
  };
}
