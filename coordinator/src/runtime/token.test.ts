import { describe, expect, it } from 'vitest';
import { bearerMatches, createRunToken } from './token.js';

describe('the run token', () => {
  it('is fresh and URL-safe for every run', () => {
    const a = createRunToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createRunToken()).not.toBe(a);
  });

  it('is accepted only as the exact bearer credential', () => {
    const token = createRunToken();
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`bearer ${token}`, token)).toBe(true);
    expect(bearerMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerMatches(`Bearer ${token.slice(1)}`, token)).toBe(false);
    expect(bearerMatches(token, token)).toBe(false);
    expect(bearerMatches('Bearer ', token)).toBe(false);
    expect(bearerMatches(undefined, token)).toBe(false);
  });
});
