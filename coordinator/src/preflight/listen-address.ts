import { createServer } from 'node:net';
import { UsageError } from '../cli/errors.js';

/**
 * Opens and closes a listener on `--host`/`--port`, so that an address this machine does not have,
 * or a port in use, is refused (exit 2) before anything is planned or spent.
 */
export async function checkListenAddress(host: string | undefined, port: number | undefined): Promise<void> {
  if (host === undefined && port === undefined) return;
  const where = `${host ?? '127.0.0.1'}:${port ?? 0}`;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `port ${port} is already in use`
          : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
            ? `"${host}" is not an address of this machine or a host name that resolves`
            : error.code === 'EADDRNOTAVAIL'
              ? `"${host}" is not an address of this machine`
              : error.message;
      reject(new UsageError(`workers could not connect at ${where}: ${reason}`, 'pass --host with an address of this machine (127.0.0.1, 0.0.0.0 for every interface) and --port with a free port, or leave both out'));
    });
    server.listen({ host: host ?? '127.0.0.1', port: port ?? 0 }, () => server.close(() => resolve()));
  });
}
