import { randomUUID } from 'node:crypto';
import { ProtocolError, rebuildError, type CoordinatorMessage, type MessageOf, type Outgoing, type WorkerMessage } from '@coordinate/protocol';

type Request = MessageOf<WorkerMessage, 'memory.search' | 'memory.propose' | 'scratchpad.read' | 'scratchpad.write' | 'budget.reserve' | 'lease.take'>;

interface Pending {
  message: Outgoing<Request> & { id: string };
  resolve(reply: CoordinatorMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * Requests the worker makes of the coordinator, matched to their replies by `replyTo`. A request
 * outlives a dropped connection: it is sent again after the worker reconnects.
 */
export class PendingRequests {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly send: (message: Outgoing<WorkerMessage>) => boolean,
    private readonly timeoutMs = 60_000,
  ) {}

  request(message: Outgoing<Request>): Promise<CoordinatorMessage> {
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ProtocolError('unavailable', `the coordinator did not answer ${message.type} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      const pending: Pending = { message: { ...message, id }, resolve, reject, timer };
      this.#pending.set(id, pending);
      this.send(pending.message);
    });
  }

  /** Settles the request a reply answers; false when the reply matches none. */
  settle(reply: CoordinatorMessage): boolean {
    const pending = reply.replyTo === undefined ? undefined : this.#pending.get(reply.replyTo);
    if (!pending) return false;
    this.#pending.delete(pending.message.id);
    clearTimeout(pending.timer);
    if (reply.type === 'error') pending.reject(rebuildError(reply.error));
    else pending.resolve(reply);
    return true;
  }

  resendAll(): void {
    for (const pending of this.#pending.values()) this.send(pending.message);
  }

  rejectAll(reason: string): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new ProtocolError('unavailable', reason));
    }
    this.#pending.clear();
  }
}

/** Narrows a reply to the type the request expects, or fails with a clear error. */
export function expectReply<T extends CoordinatorMessage['type']>(reply: CoordinatorMessage, type: T): MessageOf<CoordinatorMessage, T> {
  if (reply.type !== type) throw new ProtocolError('invalid_message', `expected ${type} in reply, got ${reply.type}`);
  return reply as MessageOf<CoordinatorMessage, T>;
}
