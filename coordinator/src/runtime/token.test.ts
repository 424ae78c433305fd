import { describe, expect, it } from 'vitest';
import { createRunToken } from './token.js';
import { REMOTE_IDENTITY, WorkerCredentials } from './worker-credentials.js';

describe('the run token', () => {
  it('is fresh and URL-safe for every run', () => {
    const a = createRunToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createRunToken()).not.toBe(a);
  });
});

describe('worker credentials', () => {
  it('name the holder of each exact bearer token: each spawned worker its own, workers started by hand "remote"', () => {
    const credentials = new WorkerCredentials('remote-token-0123456789');
    const w1 = credentials.issue('w1');
    const w2 = credentials.issue('w2');
    expect(w1).not.toBe(w2);
    expect(credentials.identify(`Bearer ${w1}`)).toBe('w1');
    expect(credentials.identify(`bearer ${w2}`)).toBe('w2');
    expect(credentials.identify('Bearer remote-token-0123456789')).toBe(REMOTE_IDENTITY);
    expect(credentials.identify(`Bearer ${w1}x`)).toBeUndefined();
    expect(credentials.identify(`Bearer ${w1.slice(1)}`)).toBeUndefined();
    expect(credentials.identify(w1)).toBeUndefined();
    expect(credentials.identify('Bearer ')).toBeUndefined();
    expect(credentials.identify(undefined)).toBeUndefined();
    expect(new WorkerCredentials().identify('Bearer remote-token-0123456789')).toBeUndefined();
  });
});
