import { describe, expect, it } from 'vitest';
import { parseWorkerArgs } from './cli.js';
import { warnIfCleartext } from './url-check.js';

describe('worker arguments', () => {
  it('reads the URL and executor from argv; a worker started by hand takes the token from the environment and its limits from its own flags', () => {
    const args = parseWorkerArgs(['--url', 'ws://127.0.0.1:4000', '--executor', 'deterministic'], { COORDINATE_TOKEN: 'secret-token-value' }, '/srv/work');
    expect(args).toEqual({ url: 'ws://127.0.0.1:4000', tokenFrom: 'env', executor: 'deterministic', spawned: false, limits: { sandbox: true, root: '/srv/work', network: false } });
    const limited = parseWorkerArgs(
      ['--url', 'wss://c.example:4000', '--root', 'repo', '--role', 'verify', '--role', 'research', '--max-turns', '20', '--model', 'm-1', '--max-cost-usd', '0.5', '--allow-network', '--no-sandbox', '--ca', 'ca.pem'],
      { COORDINATE_TOKEN: 't' },
      '/srv',
    );
    expect(limited.limits).toEqual({ sandbox: false, root: '/srv/repo', network: true, roles: ['verify', 'research'], maxTurns: 20, maxCostUsd: 0.5, model: 'm-1' });
    expect(limited.ca).toBe('ca.pem');
  });

  it('reads a spawned worker token from stdin, not the environment', () => {
    expect(parseWorkerArgs(['--url', 'ws://127.0.0.1:1', '--spawned', '--token-stdin'], {})).toMatchObject({ tokenFrom: 'stdin', spawned: true, limits: { sandbox: true } });
  });

  it('refuses to start without a URL, with a non-WebSocket URL, without a token, or with a bad limit', () => {
    expect(() => parseWorkerArgs([], { COORDINATE_TOKEN: 't' })).toThrow(/--url is required/);
    expect(() => parseWorkerArgs(['--url', 'http://x'], { COORDINATE_TOKEN: 't' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => parseWorkerArgs(['--url', 'ws://x'], {})).toThrow(/COORDINATE_TOKEN is not set/);
    expect(() => parseWorkerArgs(['--url', 'ws://x', '--role', 'admin'], { COORDINATE_TOKEN: 't' })).toThrow(/--role must be one of research, implement, verify, not "admin"/);
    expect(() => parseWorkerArgs(['--url', 'ws://x', '--max-turns', '1e4.5'], { COORDINATE_TOKEN: 't' })).toThrow(/--max-turns must be a positive whole number/);
  });

  it('refuses an unknown option and has no option to pass the token in argv', () => {
    expect(() => parseWorkerArgs(['--url', 'ws://x', '--token', 'leak'], { COORDINATE_TOKEN: 't' })).toThrow(/Unknown option '--token'/);
  });

  it('warns about ws:// to another machine, not to this one or over wss://', () => {
    expect(warnIfCleartext('ws://10.0.0.5:4000')).toMatch(/10\.0\.0\.5:4000 is reached over ws:\/\/.*use wss:\/\//);
    expect(warnIfCleartext('ws://127.0.0.1:4000')).toBeUndefined();
    expect(warnIfCleartext('ws://[::1]:4000')).toBeUndefined();
    expect(warnIfCleartext('ws://localhost:4000')).toBeUndefined();
    expect(warnIfCleartext('wss://10.0.0.5:4000')).toBeUndefined();
  });
});
