import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { startScriptedServer, type Scenario } from '@coordinate/testkit';
import { startTimingProxy } from './agents-proxy.js';

const ROLE = 'coordinate-bench-scripted-server';

export interface ServerThread {
  url: string;
  /** Stops the server (once, however often it is called); resolves with when each request arrived, on the shared clock (empty without `timed`). */
  close(): Promise<number[]>;
}

/**
 * The scripted model server on a thread of its own. In the event loop of the coordinator or the
 * executor it would wait behind their work, and they behind it, which never happens with a remote
 * API. With `timed`, a proxy in front notes when each request arrives; it costs CPU that the
 * processes under measurement share, so only the measures that need arrivals ask for it.
 */
export async function startScriptedServerThread(scenario: Scenario, options: { timed: boolean }): Promise<ServerThread> {
  const thread = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, scenario, timed: options.timed } });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the scripted server thread exited with code ${code}`));
      thread.once('error', reject);
      thread.once('exit', onExit);
      thread.once('message', (message) => {
        thread.off('error', reject);
        thread.off('exit', onExit);
        resolve(message);
      });
    });
  const { url } = (await next()) as { url: string };
  let closing: Promise<number[]> | undefined;
  const close = async () => {
    const answer = next();
    thread.postMessage('close');
    const { arrivals } = (await answer) as { arrivals: number[] };
    await thread.terminate();
    return arrivals;
  };
  return { url, close: () => (closing ??= close()) };
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) {
  const { scenario, timed } = workerData as { scenario: Scenario; timed: boolean };
  const server = await startScriptedServer({ scenario });
  const proxy = timed ? await startTimingProxy(server.url) : undefined;
  parentPort!.once('message', () => {
    void (async () => {
      await proxy?.close();
      await server.close();
      parentPort!.postMessage({ arrivals: proxy?.arrivals ?? [] });
    })();
  });
  parentPort!.postMessage({ url: proxy?.url ?? server.url });
}
