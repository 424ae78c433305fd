import { describe, expect, it } from 'vitest';
import { collectSecrets } from './secrets.js';
import { createRedactor, REDACTED } from './redact.js';
import { redactDeep } from './redact-deep.js';

describe('collectSecrets', () => {
  it('collects the known credentials and any variable named like a key, token, secret or password', () => {
    const secrets = collectSecrets({
      ANTHROPIC_API_KEY: 'sk-ant-api-0123456789',
      COORDINATE_TOKEN: 'run-token-abcdef',
      GITHUB_TOKEN: 'ghp_0123456789abcdef',
      my_db_password: 'hunter2hunter2',
      SERVICE_Secret_VALUE: 'shh-very-secret',
      HOME: '/home/someone-with-long-name',
      PATH: '/usr/bin:/bin',
    });
    expect(secrets.sort()).toEqual(
      ['sk-ant-api-0123456789', 'run-token-abcdef', 'ghp_0123456789abcdef', 'hunter2hunter2', 'shh-very-secret'].sort(),
    );
  });

  it('ignores values shorter than 8 characters so flags do not blank out ordinary words', () => {
    expect(collectSecrets({ USE_TOKEN: 'true', KEYBOARD: 'us', API_KEY: '1234567' })).toEqual([]);
  });
});

describe('createRedactor', () => {
  it('replaces every occurrence of every secret', () => {
    const redact = createRedactor(['canary-1234567', 'other-secret-value']);
    expect(redact('a canary-1234567 b canary-1234567 other-secret-value')).toBe(`a ${REDACTED} b ${REDACTED} ${REDACTED}`);
  });

  it('redacts Anthropic keys, bearer tokens and x-api-key headers it was never told about', () => {
    const redact = createRedactor([]);
    expect(redact('key sk-ant-api03-AbC_d-9 used')).toBe('key [redacted:anthropic] used');
    expect(redact('Authorization: Bearer eyJhbGci.payload.sig')).toBe('Authorization: Bearer [redacted:bearer]');
    expect(redact('x-api-key: abcdef123, next')).toBe('x-api-key: [redacted:api-key], next');
    expect(redact('{"x-api-key":"abcdef123"}')).toBe('{"x-api-key":"[redacted:api-key]"}');
  });

  it('keeps a JSON line valid when a secret holds quotes or backslashes', () => {
    const secret = 'pa"ss\\word-123';
    const line = JSON.stringify({ msg: `using ${secret}` });
    const redacted = createRedactor([secret])(line);
    expect(JSON.parse(redacted)).toEqual({ msg: `using ${REDACTED}` });
  });

  it('redacts a text it has seen before as it did the first time, and each redactor by its own secrets', () => {
    const told = createRedactor(['canary-1234567']);
    const untold = createRedactor([]);
    for (let round = 0; round < 3; round++) {
      expect(told('a canary-1234567 b')).toBe(`a ${REDACTED} b`);
      expect(untold('a canary-1234567 b')).toBe('a canary-1234567 b');
      expect(untold('key sk-ant-api03-AbC_d-9 used')).toBe('key [redacted:anthropic] used');
    }
  });

  it('prefers the longer of two overlapping secrets', () => {
    expect(createRedactor(['abcdefgh', 'abcdefgh-ijkl'])('x abcdefgh-ijkl y')).toBe(`x ${REDACTED} y`);
  });
});

describe('redactDeep', () => {
  const redact = createRedactor(['canary-1234567']);

  it('redacts strings at any depth and censors values under credential keys', () => {
    const input = {
      note: 'has canary-1234567 inside',
      request: { headers: { Authorization: 'Basic xyz', 'X-Api-Key': 'plain', accept: 'json' } },
      list: [{ apiKey: 42 }, 'canary-1234567'],
      password: 'pw',
      count: 3,
    };
    expect(redactDeep(input, redact)).toEqual({
      note: `has ${REDACTED} inside`,
      request: { headers: { Authorization: REDACTED, 'X-Api-Key': REDACTED, accept: 'json' } },
      list: [{ apiKey: REDACTED }, REDACTED],
      password: REDACTED,
      count: 3,
    });
    expect(input.request.headers.Authorization).toBe('Basic xyz');
  });

  it('turns errors into plain redacted objects and survives cycles', () => {
    const error = Object.assign(new Error('failed with canary-1234567'), { code: 'E_X' });
    const cyclic: Record<string, unknown> = { error };
    cyclic.self = cyclic;
    const out = redactDeep(cyclic, redact) as { error: Record<string, unknown>; self: unknown };
    expect(out.error.message).toBe(`failed with ${REDACTED}`);
    expect(out.error.code).toBe('E_X');
    expect(String(out.error.stack)).not.toContain('canary-1234567');
    expect(out.self).toBe('[Circular]');
    expect(JSON.stringify(out)).not.toContain('canary-1234567');
  });
});
