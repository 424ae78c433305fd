import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import {
  CoordinateError,
  decodeWorkerMessage,
  encode,
  ProtocolError,
  type CoordinatorMessage,
  type Outgoing,
  type WorkerMessage,
} from '@coordinate/protocol';

export interface PeerOptions {
  logger: Logger;
  /** A peer whose unsent output passes this many bytes has stopped reading: it is cut off. */
  maxBufferedBytes: number;
  /** Bad frames tolerated before the socket is closed. */
  maxStrikes: number;
  /** Bytes of messages waiting to be handled before the peer counts as flooding and is closed. */
  maxQueuedBytes: number;
  onMessage(peer: Peer, message: WorkerMessage): void | Promise<void>;
  onClose(peer: Peer): void;
}

/**
 * One connected socket. It turns frames into validated messages, answers bad ones with an
 * `error`, and guards the coordinator against a peer that floods it or never reads.
 */
export class Peer {
  readonly id = randomUUID().slice(0, 8);
  readonly connectedAt = Date.now();
  lastSeen = Date.now();
  #strikes = 0;
  #closed = false;
  /** Messages are handled one at a time, in order, so a flood waits here instead of running at once. */
  #chain: Promise<void> = Promise.resolve();
  #queuedBytes = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: PeerOptions,
    /** Whose token opened this connection (see WorkerCredentials). */
    readonly identity: string,
  ) {
    socket.on('message', (data: Buffer | Buffer[] | ArrayBuffer) => this.#receive(data));
    socket.on('pong', () => (this.lastSeen = Date.now()));
    socket.on('error', (error) => options.logger.warn({ peer: this.id, err: error.message }, 'socket error'));
    socket.on('close', (code, reason) => {
      this.#closed = true;
      options.logger.info({ peer: this.id, code, reason: reason.toString() }, 'peer disconnected');
      options.onClose(this);
    });
  }

  get open(): boolean {
    return !this.#closed && this.socket.readyState === WebSocket.OPEN;
  }

  /** Sends a message; false when the peer is gone or was just cut off for not reading. */
  send(message: Outgoing<CoordinatorMessage>): boolean {
    if (!this.open) return false;
    if (this.socket.bufferedAmount > this.options.maxBufferedBytes) return this.#cutOff();
    this.socket.send(encode(message));
    if (this.socket.bufferedAmount > this.options.maxBufferedBytes) return this.#cutOff();
    return true;
  }

  sendError(error: CoordinateError, replyTo?: string): boolean {
    return this.send({ type: 'error', error: error.toData(), ...(replyTo ? { replyTo } : {}) });
  }

  ping(): void {
    if (this.open) this.socket.ping();
  }

  close(code = 1000, reason = ''): void {
    if (this.open) this.socket.close(code, reason);
    else this.socket.terminate();
  }

  terminate(): void {
    this.socket.terminate();
  }

  #cutOff(): false {
    this.options.logger.warn({ peer: this.id, bufferedAmount: this.socket.bufferedAmount }, 'peer stopped reading: cut off');
    this.socket.terminate();
    return false;
  }

  #receive(data: Buffer | Buffer[] | ArrayBuffer): void {
    this.lastSeen = Date.now();
    const decoded = decodeWorkerMessage(data);
    if (!decoded.ok) {
      this.strike(decoded.error, decoded.replyTo);
      return;
    }
    const size = frameSize(data);
    if (this.#queuedBytes + size > this.options.maxQueuedBytes) {
      this.options.logger.warn({ peer: this.id, queuedBytes: this.#queuedBytes }, 'peer sent more than it waits for: closing');
      this.close(1008, 'too many messages in flight');
      return;
    }
    const { message } = decoded;
    this.#queuedBytes += size;
    this.#chain = this.#chain.then(async () => {
      try {
        // Once cut off or closed, whatever the peer still had queued is not worth doing.
        if (this.open) await this.options.onMessage(this, message);
      } catch (error) {
        this.#handlerFailed(error, message.id);
      } finally {
        this.#queuedBytes -= size;
      }
    });
  }

  /** A bad frame (or a message out of place) earns an error reply; too many of them close the socket. */
  strike(error: CoordinateError, replyTo?: string): void {
    this.#strikes++;
    this.options.logger.warn({ peer: this.id, code: error.code, err: error.message, strikes: this.#strikes }, 'bad frame');
    this.sendError(error, replyTo);
    if (this.#strikes >= this.options.maxStrikes) this.close(1008, 'too many invalid frames');
  }

  #handlerFailed(error: unknown, replyTo: string): void {
    if (error instanceof CoordinateError) {
      this.options.logger.info({ peer: this.id, code: error.code, err: error.message }, 'worker request refused');
      this.sendError(error, replyTo);
      return;
    }
    this.options.logger.error({ peer: this.id, err: error }, 'handling a worker message failed');
    this.sendError(new ProtocolError('internal', 'the coordinator could not handle this message'), replyTo);
  }
}

function frameSize(data: Buffer | Buffer[] | ArrayBuffer): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.byteLength, 0) : data.byteLength;
}
