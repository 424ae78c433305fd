import { secretlintFindings, type SecretFinding } from './secretlint-rules.js';

export type { SecretFinding };

/** Shapes secretlint's recommended set leaves out (its AWS rule reports secret keys, not access key ids); the value classes stop at quotes and backslashes, so a redacted JSON line stays valid JSON. */
const SHAPES: { kind: string; pattern: RegExp; group?: number }[] = [
  { kind: 'anthropic', pattern: /sk-ant-[A-Za-z0-9_-]{8,}/g },
  { kind: 'stripe', pattern: /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}/g },
  { kind: 'stripe', pattern: /\bwhsec_[A-Za-z0-9]{16,}/g },
  { kind: 'google', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  { kind: 'aws', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'bearer', pattern: /\bBearer\s+([A-Za-z0-9._~+/=-]{8,})/gi, group: 1 },
  { kind: 'api-key', pattern: /x-api-key\\?["']?\s*[:=]\s*\\?["']?([^\s"'\\,;}]{8,})/gi, group: 1 },
];

/**
 * A value assigned to a credential-like name (`DB_PASSWORD=…`, `"apiToken": "…"`,
 * `secret: …`); counted only when it looks random enough, so `password: string` or
 * `token = getToken()` stay readable.
 */
const ASSIGNED = /\b[\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth)[\w.-]*\\?["']?\s*[:=]\s*\\?["']?([^\s\x00-\x1f"'\\,;}`[]{8,})/gi;
const MIN_ENTROPY_BITS_PER_CHAR = 3;

/** Shannon entropy of `value` in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const looksLikeCode = (value: string) => /^[A-Za-z_$][\w$.]*(\(|$)/.test(value) && !/\d/.test(value);

function shapeFindings(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const { kind, pattern, group } of SHAPES) {
    for (const match of text.matchAll(pattern)) {
      const value = match[group ?? 0]!;
      const start = match.index + (group ? match[0].lastIndexOf(value) : 0);
      findings.push({ start, end: start + value.length, kind });
    }
  }
  for (const match of text.matchAll(ASSIGNED)) {
    const value = match[1]!;
    if (looksLikeCode(value) || entropy(value) < MIN_ENTROPY_BITS_PER_CHAR) continue;
    const start = match.index + match[0].lastIndexOf(value);
    findings.push({ start, end: start + value.length, kind: 'password' });
  }
  return findings;
}

/**
 * Every secret in `text`: secretlint's recommended rules plus the shapes above (Anthropic,
 * Stripe, Google API keys, JWTs, bearer tokens, high-entropy values assigned to names such as
 * password, secret or token). Overlapping findings are merged (the first kind wins), sorted by start.
 */
export function detectSecrets(text: string): SecretFinding[] {
  const all = [...secretlintFindings(text), ...shapeFindings(text)].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: SecretFinding[] = [];
  for (const finding of all) {
    const last = merged.at(-1);
    if (last && finding.start < last.end) last.end = Math.max(last.end, finding.end);
    else merged.push({ ...finding });
  }
  return merged;
}

/** `text` with each secret found replaced by `[redacted:<kind>]`. */
export function redactDetected(text: string): string {
  const findings = detectSecrets(text);
  if (findings.length === 0) return text;
  let out = '';
  let at = 0;
  for (const { start, end, kind } of findings) {
    out += `${text.slice(at, start)}[redacted:${kind}]`;
    at = end;
  }
  return out + text.slice(at);
}
