import { rules as recommended } from '@secretlint/secretlint-rule-preset-recommend';

/** One place a secret was found in a text: [start, end) in UTF-16 units, and what kind it is. */
export interface SecretFinding {
  start: number;
  end: number;
  /** A short name such as `github`, `aws`, `stripe`, `jwt`: it shows as `[redacted:<kind>]`. */
  kind: string;
}

/** The part of secretlint's rule API (`SecretLintRuleCreator`) a text rule uses. */
interface TextRule {
  meta: { id: string; supportedContentTypes?: readonly string[] };
  create(
    context: {
      report(descriptor: { message: string; range: readonly [number, number] }): void;
      ignore(descriptor: unknown): void;
      createTranslator(messages: unknown): (id: string, data?: unknown) => string;
    },
    options: Record<string, unknown>,
  ): { file?(source: { content: string; filePath: string; ext: string; contentType: 'text' }): unknown };
}

/** `@secretlint/secretlint-rule-github` → `github`. */
const kindOf = (id: string) => id.replace(/^@secretlint\/secretlint-rule-/, '').replace(/^no-/, '');

// The comment filter only lifts findings a file marks with `secretlint-disable`: text a model
// or a repository writes must not be able to lift its own redaction.
const TEXT_RULES = (recommended as unknown as TextRule[]).filter((rule) => rule.meta.id !== '@secretlint/secretlint-rule-filter-comments' && (rule.meta.supportedContentTypes ?? ['text']).includes('text'));

/**
 * Runs secretlint's recommended rules (AWS, GCP, private keys, npm, basic auth, Slack,
 * SendGrid, Shopify, GitHub, OpenAI, Linear, 1Password) over `text` synchronously, through the
 * rules' own API: each reports the ranges it found. Rules whose work is asynchronous (binary
 * key stores) cannot apply to text and are left to finish on their own.
 */
export function secretlintFindings(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const rule of TEXT_RULES) {
    const kind = kindOf(rule.meta.id);
    const handlers = rule.create(
      {
        report: ({ range }) => findings.push({ start: range[0], end: range[1], kind }),
        ignore: () => undefined,
        createTranslator: () => (id) => id,
      },
      {},
    );
    const done = handlers.file?.({ content: text, filePath: 'text', ext: '', contentType: 'text' });
    if (done instanceof Promise) done.catch(() => undefined);
  }
  return findings;
}
