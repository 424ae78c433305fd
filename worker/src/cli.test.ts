import { describe, expect, it } from 'vitest';
import { parseWorkerArgs } from './cli.js';

describe('worker arguments', () => {
  it('reads the URL and executor from argv and the token only from the environment', () => {
    const args = parseWorkerArgs(['--url', 'ws://127.0.0.1:4000', '--executor', 'deterministic'], { COORDINATE_TOKEN: 'secret-token-value' });
    expect(args).toEqual({ url: 'ws://127.0.0.1:4000', token: 'secret-token-value', executor: 'deterministic', spawned: false });
  });

  it('refuses to start without a URL, with a non-WebSocket URL, or without a token', () => {
    expect(() => parseWorkerArgs([], { COORDINATE_TOKEN: 't' })).toThrow(/--url is required/);
    expect(() => parseWorkerArgs(['--url', 'http://x'], { COORDINATE_TOKEN: 't' })).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => parseWorkerArgs(['--url', 'ws://x'], {})).toThrow(/COORDINATE_TOKEN is not set/);
  });

  it('refuses an unknown option and has no option to pass the token in argv', () => {
    expect(() => parseWorkerArgs(['--url', 'ws://x', '--token', 'leak'], { COORDINATE_TOKEN: 't' })).toThrow(/Unknown option '--token'/);
  });
});
