import type { CoordinatorServer } from './server.js';
import type { WorkerRegistry } from './registry.js';

export interface LivenessOptions {
  server: CoordinatorServer;
  registry: WorkerRegistry;
  heartbeatMs: number;
  deadAfterMs: number;
  now?: () => number;
}

/** Heartbeats without a frame or a pong after which a connection counts as cut. */
export const HALF_OPEN_HEARTBEATS = 3;

/**
 * Pings every peer silent for a heartbeat or more, each heartbeat, and declares dead a worker silent (no frame, no pong, no
 * reconnect) for longer than `deadAfterMs`; a socket that never says hello is closed as well.
 */
export function watchLiveness({ server, registry, heartbeatMs, deadAfterMs, now = Date.now }: LivenessOptions): () => void {
  const timer = setInterval(() => {
    const time = now();
    for (const peer of server.peers) {
      if (registry.byPeer(peer)) {
        // A link that went quiet (a partition) leaves a socket that TCP may hold open for minutes: it
        // is closed after a few missed pongs so the worker reconnects as soon as the link is back,
        // while the worker itself keeps its task until `deadAfterMs`.
        const silentFor = time - peer.lastSeen;
        if (silentFor > HALF_OPEN_HEARTBEATS * heartbeatMs) peer.terminate();
        // A peer heard from within the last heartbeat has just shown its link works: a thousand
        // workers sending their own heartbeats need no thousand pings a heartbeat on top.
        else if (silentFor >= heartbeatMs) peer.ping();
      } else if (time - peer.connectedAt > deadAfterMs) peer.close(1008, 'no hello received');
    }
    for (const worker of registry.live()) {
      const lastSeen = worker.peer?.lastSeen ?? worker.lastSeen;
      if (time - lastSeen > deadAfterMs) registry.declareDead(worker.id, `silent for ${time - lastSeen} ms`);
    }
  }, heartbeatMs);
  timer.unref();
  return () => clearInterval(timer);
}
