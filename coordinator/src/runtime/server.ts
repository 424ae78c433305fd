import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { MAX_FRAME_BYTES } from '@coordinate/protocol';
import { ServerStartError } from './errors.js';
import { Peer, type PeerOptions } from './peer.js';
import type { WorkerCredentials } from './worker-credentials.js';

export interface ServerOptions extends Pick<PeerOptions, 'onMessage' | 'onClose'> {
  /** The tokens accepted at the door; each names who holds it, and the peer carries that name. */
  credentials: WorkerCredentials;
  logger: Logger;
  /** Default 127.0.0.1: only this machine. Pass 0.0.0.0 (or an address) to accept remote workers. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** PEM certificate (with its chain) and key: the server speaks TLS and its URL is wss://. */
  tls?: { cert: string; key: string };
  maxPayload?: number;
  maxBufferedBytes?: number;
  maxStrikes?: number;
  maxQueuedBytes?: number;
  maxPeers?: number;
  onConnection?(peer: Peer): void;
}

export interface CoordinatorServer {
  /** Where workers on this machine connect. */
  url: string;
  port: number;
  readonly peers: ReadonlySet<Peer>;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 503: 'Service Unavailable' };

/**
 * The coordinator's WebSocket server. Every check happens at the HTTP upgrade, before a socket
 * exists: a browser Origin gets 403 (no web page may reach a local coordinator), a missing or
 * wrong bearer token gets 401.
 */
export async function startServer(options: ServerOptions): Promise<CoordinatorServer> {
  const host = options.host ?? '127.0.0.1';
  const { logger, credentials } = options;
  const peers = new Set<Peer>();
  const peerOptions: PeerOptions = {
    logger,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    maxStrikes: options.maxStrikes ?? 20,
    maxQueuedBytes: options.maxQueuedBytes ?? 4 * MAX_FRAME_BYTES,
    onMessage: options.onMessage,
    onClose: (peer) => {
      peers.delete(peer);
      options.onClose(peer);
    },
  };
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? MAX_FRAME_BYTES, perMessageDeflate: false });
  const notWebSocket: RequestListener = (_request, response) => {
    response.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
    response.end('this is a coordinate worker endpoint: connect with a WebSocket\n');
  };
  const http = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, notWebSocket) : createServer(notWebSocket);
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => logger.debug({ err: error.message }, 'upgrade socket error'));
    const from = request.socket.remoteAddress;
    if (request.headers.origin !== undefined) {
      logger.warn({ from }, 'refused an upgrade with a browser Origin header');
      return refuse(socket, 403);
    }
    const identity = credentials.identify(request.headers.authorization);
    if (identity === undefined) {
      logger.warn({ from }, 'refused an upgrade with a missing or wrong token');
      return refuse(socket, 401);
    }
    if (peers.size >= (options.maxPeers ?? 256)) {
      logger.warn({ from, peers: peers.size }, 'refused an upgrade: too many connections');
      return refuse(socket, 503);
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const peer = new Peer(ws, peerOptions, identity);
      peers.add(peer);
      logger.info({ peer: peer.id, from }, 'peer connected');
      options.onConnection?.(peer);
    });
  });
  http.on('clientError', (_error, socket) => socket.destroy());
  const port = await new Promise<number>((resolve, reject) => {
    http.once('error', (error) => reject(new ServerStartError(host, options.port ?? 0, error)));
    http.listen(options.port ?? 0, host, () => {
      const address = http.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  const url = `${options.tls ? 'wss' : 'ws'}://${connectHost(host)}:${port}`;
  logger.info({ url }, 'coordinator listening');
  return {
    url,
    port,
    peers,
    close: async () => {
      await closePeers(peers);
      await new Promise<void>((resolve) => {
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

/**
 * A close handshake first, so that what was just sent (a shutdown) reaches the worker: over TLS
 * an abrupt end drops data still being encrypted. Whoever has not closed within a second is cut off.
 */
async function closePeers(peers: ReadonlySet<Peer>): Promise<void> {
  if (peers.size === 0) return;
  const closed = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (peers.size > 0) return;
      clearInterval(check);
      resolve();
    }, 20);
    setTimeout(() => {
      clearInterval(check);
      resolve();
    }, 1_000);
  });
  for (const peer of peers) peer.close(1001, 'coordinator stopping');
  await closed;
  for (const peer of peers) peer.terminate();
}

function refuse(socket: Duplex, status: number): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}

/** A wildcard bind is reached locally through loopback; an IPv6 literal needs brackets in a URL. */
function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
