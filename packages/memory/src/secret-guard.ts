import { detectSecrets } from '@coordinate/logging';
import { MemoryError } from './errors.js';

/** What a secret looks like once redacted on its way here (`[redacted:github]`, `[REDACTED]`). */
const REDACTION_MARK = /\[(?:redacted:[\w-]+|REDACTED)\]/;

/**
 * Refuses a proposal that holds a secret, or held one and was redacted on its way: team
 * memory and MEMORY.md are shared and reviewed in pull requests, and a note with a hole where
 * a credential was teaches nothing. Throws MemoryError('secret_in_proposal') naming the kind.
 */
export function refuseSecrets(texts: readonly (string | undefined)[]): void {
  for (const text of texts) {
    if (text === undefined) continue;
    const [found] = detectSecrets(text);
    if (found) throw new MemoryError('secret_in_proposal', `refused: the proposal holds a secret (${found.kind}); write what was learnt without the value`, { kind: found.kind });
    if (REDACTION_MARK.test(text)) throw new MemoryError('secret_in_proposal', 'refused: the proposal held a secret (it arrived redacted); write what was learnt without the value', { kind: 'redacted' });
  }
}
