import { ProtocolError, type MessageOf, type Role, type WorkerMessage } from '@coordinate/protocol';
import type { Peer } from './peer.js';

export interface WorkerRecord {
  id: string;
  pid: number;
  roles: Role[];
  /** Started by hand elsewhere rather than spawned by this coordinator. */
  remote: boolean;
  /** Whose credentials it joined with: only a connection with the same ones may speak for it again. */
  identity: string;
  sharedFs: boolean;
  /** Undefined while the worker is disconnected and may still come back. */
  peer: Peer | undefined;
  state: 'idle' | 'busy' | 'dead';
  /** When it was last heard from while disconnected (a connected worker's peer knows better). */
  lastSeen: number;
  /** The attempt it holds while busy. */
  holding?: { taskId: string; attempt: number };
}

export interface RegistryOptions {
  /** Ids the pool gave to the workers it spawned; a hello that asks for one of them gets it. */
  isSpawnedId(id: string): boolean;
  onJoined(worker: WorkerRecord, rejoined: boolean): void;
  onLost(worker: WorkerRecord, reason: string): void;
}

type Hello = MessageOf<WorkerMessage, 'hello'>;

/**
 * The workers of a run and which of them are free. A worker is known by its id across
 * reconnects; once declared dead its id is never reused, so nothing it says later counts.
 */
export class WorkerRegistry {
  readonly #workers = new Map<string, WorkerRecord>();
  readonly #byPeer = new Map<Peer, WorkerRecord>();
  /** Idle workers, longest idle first, so taking one costs the same with a thousand workers as with one. */
  readonly #idle = new Set<WorkerRecord>();
  /** Attempts waiting for a worker, first come first served. */
  readonly #waiters = new Set<Waiter>();
  #liveCount = 0;
  #remoteCount = 0;

  constructor(private readonly options: RegistryOptions) {}

  byPeer(peer: Peer): WorkerRecord | undefined {
    return this.#byPeer.get(peer);
  }

  get(id: string): WorkerRecord | undefined {
    return this.#workers.get(id);
  }

  /** Workers not declared dead, connected or not. */
  live(): WorkerRecord[] {
    return [...this.#workers.values()].filter((w) => w.state !== 'dead');
  }

  /** How many workers are not declared dead, without listing them. */
  get liveCount(): number {
    return this.#liveCount;
  }

  hello(peer: Peer, hello: Hello): WorkerRecord {
    const known = hello.workerId === undefined ? undefined : this.#workers.get(hello.workerId);
    if (known && known.state !== 'dead') {
      if (known.identity !== peer.identity) throw new ProtocolError('forbidden', `worker ${known.id} joined with other credentials: a worker id belongs to the token it first joined with`);
      if (known.peer && known.peer !== peer) {
        this.#byPeer.delete(known.peer);
        known.peer.close(1000, 'replaced by a newer connection');
      }
      known.peer = peer;
      known.lastSeen = peer.lastSeen;
      this.#byPeer.set(peer, known);
      this.options.onJoined(known, true);
      if (known.state === 'idle') this.#offer(known);
      return known;
    }
    const wanted = hello.workerId;
    // A spawned worker's id goes only to the holder of that worker's own token.
    const spawned = wanted !== undefined && !known && this.options.isSpawnedId(wanted) && peer.identity === wanted;
    const worker: WorkerRecord = {
      id: spawned ? wanted : `remote-${++this.#remoteCount}`,
      pid: hello.pid,
      roles: hello.roles,
      remote: !spawned,
      identity: peer.identity,
      sharedFs: hello.sharedFs,
      peer,
      state: 'idle',
      lastSeen: peer.lastSeen,
    };
    this.#workers.set(worker.id, worker);
    this.#liveCount++;
    this.#byPeer.set(peer, worker);
    this.options.onJoined(worker, false);
    this.#offer(worker);
    return worker;
  }

  /** The socket closed; the worker keeps its task until liveness declares it dead. */
  disconnected(peer: Peer): void {
    const worker = this.#byPeer.get(peer);
    this.#byPeer.delete(peer);
    if (worker && worker.peer === peer) {
      worker.peer = undefined;
      worker.lastSeen = peer.lastSeen;
    }
  }

  declareDead(id: string, reason: string): void {
    const worker = this.#workers.get(id);
    if (!worker || worker.state === 'dead') return;
    worker.state = 'dead';
    this.#idle.delete(worker);
    this.#liveCount--;
    if (worker.peer) {
      this.#byPeer.delete(worker.peer);
      worker.peer.close(1000, 'declared dead');
      worker.peer = undefined;
    }
    this.options.onLost(worker, reason);
  }

  /** Resolves with a free, connected worker, marked busy; waits for one when none is free. */
  acquire(signal?: AbortSignal): Promise<WorkerRecord> {
    for (const free of this.#idle) {
      // A disconnected idle worker stays out of the set until it says hello again.
      this.#idle.delete(free);
      if (free.state !== 'idle' || !free.peer?.open) continue;
      free.state = 'busy';
      return Promise.resolve(free);
    }
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise((resolve, reject) => {
      // Every attempt of a run shares one signal: its listener goes once the attempt has a worker,
      // so a thousand attempts never pile a thousand listeners onto it.
      const onAbort = () => {
        this.#waiters.delete(waiter);
        reject(signal!.reason as Error);
      };
      const waiter: Waiter = {
        resolve: (worker) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(worker);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(worker: WorkerRecord): void {
    worker.holding = undefined;
    if (worker.state !== 'busy') return;
    worker.state = 'idle';
    this.#offer(worker);
  }

  #offer(worker: WorkerRecord): void {
    if (worker.state !== 'idle' || !worker.peer?.open) return;
    const [waiter] = this.#waiters;
    if (!waiter) {
      this.#idle.add(worker);
      return;
    }
    this.#waiters.delete(waiter);
    this.#idle.delete(worker);
    worker.state = 'busy';
    waiter.resolve(worker);
  }
}

interface Waiter {
  resolve(worker: WorkerRecord): void;
}
