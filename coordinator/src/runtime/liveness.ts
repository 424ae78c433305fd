import type { CoordinatorServer } from './server.js';
import type { WorkerRegistry } from './registry.js';

export interface LivenessOptions {
  server: CoordinatorServer;
  registry: WorkerRegistry;
  heartbeatMs: number;
  deadAfterMs: number;
  now?: () => number;
}

/**
 * Pings every peer each heartbeat and declares dead a worker silent (no frame, no pong, no
 * reconnect) for longer than `deadAfterMs`; a socket that never says hello is closed as well.
 */
export function watchLiveness({ server, registry, heartbeatMs, deadAfterMs, now = Date.now }: LivenessOptions): () => void {
  const timer = setInterval(() => {
    const time = now();
    for (const peer of server.peers) {
      if (registry.byPeer(peer)) peer.ping();
      else if (time - peer.connectedAt > deadAfterMs) peer.close(1008, 'no hello received');
    }
    for (const worker of registry.live()) {
      const lastSeen = worker.peer?.lastSeen ?? worker.lastSeen;
      if (time - lastSeen > deadAfterMs) registry.declareDead(worker.id, `silent for ${time - lastSeen} ms`);
    }
  }, heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}
