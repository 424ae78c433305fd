import { describe, expect, it } from 'vitest';
import { detectSecrets, redactDetected } from './detect-secrets.js';

// Built from parts so this file itself holds no literal a scanner would flag.
const FIXTURES: [kind: string, value: string][] = [
  ['anthropic', `sk-ant-api03-${'Q'.repeat(20)}`],
  ['openai', `sk-${'a1B2c3D4e5F6g7H8i9J0'}T3BlbkFJ${'k1L2m3N4o5P6q7R8s9T0'}`],
  ['github', `ghp_${'x7Yb2Kq9Lm4Np6Rs8Tv1Wz3Ac5De7Fg9Hj2K'}`],
  ['stripe', `sk_live_${'51HzQwErTyUiOpAsDfGhJkL'}`],
  ['aws', `AKIA${'IOSFODNN7EXAMPL3'}`],
  ['slack', `xoxb-${'1234567890'}-${'0987654321'}-${'AbCdEfGhIjKlMnOpQrStUvWx'}`],
  ['google', `AIza${'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q'}`],
  ['privatekey', `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA${'x'.repeat(40)}\n-----END RSA PRIVATE KEY-----`],
  ['jwt', `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'}`],
];

describe('detectSecrets', () => {
  it.each(FIXTURES)('finds a %s secret and names its kind', (kind, value) => {
    const text = `before ${value} after`;
    expect(redactDetected(text)).toBe(`before [redacted:${kind}] after`);
  });

  it('finds random-looking values assigned to password, secret or token names, and leaves code and words alone', () => {
    expect(redactDetected('DB_PASSWORD=Xk9#mQ2$vL7pR4wZ')).toBe('DB_PASSWORD=[redacted:password]');
    expect(redactDetected('{"apiToken": "f3A9kQ2mZ7xB1vL8"}')).toBe('{"apiToken": "[redacted:password]"}');
    expect(redactDetected('password: string; token = getToken()')).toBe('password: string; token = getToken()');
    expect(redactDetected('PASSWORD_MIN_LENGTH=aaaaaaaaaaa')).toBe('PASSWORD_MIN_LENGTH=aaaaaaaaaaa');
  });

  it('keeps a redacted JSON line valid', () => {
    const line = JSON.stringify({ text: `key ${FIXTURES[7]![1]} and STRIPE_KEY=${FIXTURES[3]![1]}` });
    expect(JSON.parse(redactDetected(line))).toEqual({ text: 'key [redacted:privatekey] and STRIPE_KEY=[redacted:stripe]' });
  });

  it('reports positions that cover the whole value', () => {
    const value = FIXTURES[2]![1];
    const [finding] = detectSecrets(`x ${value}`);
    expect(finding).toEqual({ start: 2, end: 2 + value.length, kind: 'github' });
  });
});
