import { randomBytes } from 'node:crypto';

/** A fresh per-run secret: 256 random bits, URL-safe. */
export function createRunToken(): string {
  return randomBytes(32).toString('base64url');
}
