import { OptionError } from '../config/index.js';
import { newWorkerToken, readIssuedTokens, tokenDigest, writeIssuedTokens, type IssuedToken } from './store.js';

/**
 * Issues a token named `name` valid for `ttlMs` (none: until revoked) and records only its
 * hash in `file`. Returns the token, which exists nowhere else: the caller shows it once.
 * @throws OptionError when a token of that name exists; TokenStoreError when the file cannot be used.
 */
export async function issueToken(file: string, name: string, ttlMs: number | undefined, now = Date.now()): Promise<{ token: string; issued: IssuedToken }> {
  const tokens = readIssuedTokens(file);
  if (tokens.some((entry) => entry.name === name)) throw new OptionError('--name', `a token named "${name}" exists; revoke it first (coordinate token revoke ${name}) or pick another name`);
  const token = newWorkerToken();
  const issued: IssuedToken = {
    name,
    sha256: tokenDigest(token),
    createdAt: new Date(now).toISOString(),
    ...(ttlMs !== undefined ? { expiresAt: new Date(now + ttlMs).toISOString() } : {}),
  };
  await writeIssuedTokens(file, [...tokens, issued]);
  return { token, issued };
}

/**
 * Removes the token `name` from `file`; a coordinator refuses it from its next connection on.
 * @throws OptionError when there is no token of that name.
 */
export async function revokeToken(file: string, name: string): Promise<void> {
  const tokens = readIssuedTokens(file);
  if (!tokens.some((entry) => entry.name === name)) throw new OptionError('<name>', `no token is named "${name}"; see coordinate token list`);
  await writeIssuedTokens(file, tokens.filter((entry) => entry.name !== name));
}

export const isLive = (token: IssuedToken, now: number): boolean => token.expiresAt === undefined || Date.parse(token.expiresAt) > now;
