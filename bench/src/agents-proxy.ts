import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sharedClockMs } from './agents-clock.js';

export interface TimingProxy {
  url: string;
  /** When each request's headers arrived, in order, on the shared clock. */
  arrivals: number[];
  close(): Promise<void>;
}

/** A pass-through HTTP proxy on 127.0.0.1 that notes when each request arrives. */
export async function startTimingProxy(target: string): Promise<TimingProxy> {
  const upstream = new URL(target);
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(sharedClockMs());
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
