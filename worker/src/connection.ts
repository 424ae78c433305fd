import WebSocket from 'ws';
import type { Logger } from 'pino';
import {
  CoordinateError,
  decodeCoordinatorMessage,
  encode,
  MAX_FRAME_BYTES,
  type CoordinatorMessage,
  type Outgoing,
  type WorkerMessage,
} from '@coordinate/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { CoordinatorGoneError, WorkerRefusedError } from './errors.js';
import { certificateRefusal } from './certificate-check.js';

export interface ConnectionOptions {
  url: string;
  token: string;
  logger: Logger;
  /** PEM certificates to trust for wss:// (a private CA); Node's own list otherwise. */
  ca?: string;
  /** How long the worker keeps trying without any coordinator before it gives up. */
  giveUpAfterMs?: number;
  backoff?: BackoffOptions;
  onOpen(): void;
  onMessage(message: CoordinatorMessage): void;
  /** The coordinator refused the worker, or could not be reached for too long: nothing more will happen. */
  onFatal(error: CoordinateError): void;
}

/**
 * The worker's socket to the coordinator. It presents the token as a bearer header (never in
 * the URL, which ends up in logs) and reconnects with backoff whenever the socket drops.
 */
export class CoordinatorConnection {
  #socket: WebSocket | undefined;
  #attempt = 0;
  #downSince = Date.now();
  #stopped = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #silence: NodeJS.Timeout | undefined;
  #silentAfterMs: number | undefined;
  #lastHeard = Date.now();
  readonly #options: Required<Pick<ConnectionOptions, 'giveUpAfterMs' | 'backoff'>> & ConnectionOptions;

  constructor(options: ConnectionOptions) {
    this.#options = { giveUpAfterMs: 30_000, backoff: { initialMs: 100, maxMs: 5_000 }, ...options };
  }

  get connected(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.#connect();
  }

  /**
   * The coordinator pings every `heartbeatMs`: a connection that brings nothing (no frame, no ping)
   * for three of them is cut, as after a partition, and is dropped so that a new one is dialled
   * instead of waiting on TCP.
   */
  expectHeartbeat(heartbeatMs: number): void {
    this.#silentAfterMs = 3 * heartbeatMs;
    clearInterval(this.#silence);
    this.#silence = setInterval(() => {
      const socket = this.#socket;
      if (socket?.readyState !== WebSocket.OPEN || Date.now() - this.#lastHeard <= this.#silentAfterMs!) return;
      this.#options.logger.warn({ silentMs: Date.now() - this.#lastHeard }, 'the coordinator went silent: reconnecting');
      socket.terminate();
    }, heartbeatMs);
    this.#silence.unref();
  }

  /** Sends now, or returns false while disconnected: the caller decides what must be resent. */
  send(message: Outgoing<WorkerMessage>): boolean {
    if (!this.connected) return false;
    this.#socket!.send(encode(message));
    return true;
  }

  close(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#silence);
    const socket = this.#socket;
    if (socket && socket.readyState === WebSocket.OPEN) socket.close(1000, 'worker stopping');
    else socket?.terminate();
  }

  #connect(): void {
    const { url, token, logger } = this.#options;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      maxPayload: MAX_FRAME_BYTES,
      handshakeTimeout: 10_000,
      ...(this.#options.ca ? { ca: this.#options.ca } : {}),
    });
    this.#socket = socket;
    let opened = false;
    socket.on('ping', () => (this.#lastHeard = Date.now()));
    socket.on('open', () => {
      opened = true;
      this.#lastHeard = Date.now();
      this.#attempt = 0;
      logger.info({ url }, 'connected to the coordinator');
      this.#options.onOpen();
    });
    socket.on('message', (data: Buffer | Buffer[] | ArrayBuffer) => this.#receive(data));
    socket.on('unexpected-response', (request, response) => {
      response.resume();
      request.destroy();
      this.#fail(new WorkerRefusedError(response.statusCode ?? 0));
    });
    socket.on('error', (error) => {
      const refusal = certificateRefusal(error);
      if (refusal) this.#fail(refusal);
      else logger.debug({ err: error.message }, 'socket error');
    });
    socket.on('close', (code) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      if (this.#stopped) return;
      if (opened) this.#downSince = Date.now();
      logger.warn({ code }, 'connection to the coordinator lost');
      this.#scheduleReconnect();
    });
  }

  #receive(data: Buffer | Buffer[] | ArrayBuffer): void {
    this.#lastHeard = Date.now();
    const decoded = decodeCoordinatorMessage(data);
    if (!decoded.ok) {
      this.#options.logger.warn({ code: decoded.error.code, err: decoded.error.message }, 'bad frame from the coordinator');
      this.send({ type: 'error', error: decoded.error.toData(), ...(decoded.replyTo ? { replyTo: decoded.replyTo } : {}) });
      return;
    }
    try {
      this.#options.onMessage(decoded.message);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'handling a coordinator message failed');
    }
  }

  #scheduleReconnect(): void {
    const waited = Date.now() - this.#downSince;
    if (waited >= this.#options.giveUpAfterMs) {
      this.#fail(new CoordinatorGoneError(waited));
      return;
    }
    const delay = Math.min(backoffDelay(this.#attempt++, this.#options.backoff), this.#options.giveUpAfterMs - waited);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #fail(error: CoordinateError): void {
    if (this.#stopped) return;
    this.close();
    this.#options.onFatal(error);
  }
}
