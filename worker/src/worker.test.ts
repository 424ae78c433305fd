import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import './executors/index.js';
import { runWorker } from './worker.js';

describe('a worker without a coordinator', () => {
  it('gives up after its wait and stops with a clear reason', async () => {
    // A port that was free a moment ago: nothing answers there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const exit = await runWorker({
      url: `ws://127.0.0.1:${port}`,
      token: 'token-for-nobody',
      executor: 'deterministic',
      logger: pino({ level: 'silent' }),
      giveUpAfterMs: 300,
    });
    expect(exit).toEqual({ code: 1, reason: expect.stringMatching(/no coordinator answered/) });
  });

  it('refuses an executor nobody registered', () => {
    expect(() => runWorker({ url: 'ws://127.0.0.1:1', token: 't', executor: 'telepathy', logger: pino({ level: 'silent' }) })).toThrow(
      /unknown executor "telepathy" \(known: deterministic/,
    );
  });
});
