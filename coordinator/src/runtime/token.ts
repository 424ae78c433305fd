import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh per-run secret: 256 random bits, URL-safe. */
export function createRunToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether an Authorization header carries the run's bearer token. Both sides are hashed first so
 * the comparison takes the same time whatever the length or content of the guess.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && presented.length > 0;
}
