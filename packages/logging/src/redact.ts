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
  // A run's journal repeats the same short strings (event types, task and worker ids, outcomes) on
  // every event, and detection is the dearest step of writing one: a redactor is a pure function of
  // its text, so recent short answers are kept.
  const recent = new Map<string, string>();
  return (text) => {
    const kept = recent.get(text);
    if (kept !== undefined) return kept;
    const redacted = redactDetected(known ? text.replace(known, REDACTED) : text);
    if (text.length <= REMEMBERED_LENGTH) {
      if (recent.size >= REMEMBERED) recent.delete(recent.keys().next().value!);
      recent.set(text, redacted);
    }
    return redacted;
  };
}

/** How many answers a redactor keeps (oldest forgotten first), and for texts of at most how many characters. */
const REMEMBERED = 8_192;
const REMEMBERED_LENGTH = 256;
