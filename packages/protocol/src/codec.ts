import { formatZodError } from './zod-error.js';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ProtocolError } from './errors.js';
import {
  CoordinatorMessage,
  PROTOCOL_VERSION,
  WorkerMessage,
  type Message,
  type Outgoing,
} from './messages.js';

/** Large enough for a scratchpad file or a long result; far below ws's 100 MiB default. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

export type Decoded<T> = { ok: true; message: T } | { ok: false; error: ProtocolError; replyTo?: string };

export function encode<U extends Message>(message: Outgoing<U>): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, id: message.id ?? randomUUID(), ts: message.ts ?? Date.now(), ...message });
}

function decodeWith<T>(
  schema: z.ZodType<T>,
  known: ReadonlySet<string>,
  raw: string | Buffer | ArrayBuffer | Buffer[],
  maxBytes: number,
): Decoded<T> {
  const buffer = Array.isArray(raw) ? Buffer.concat(raw) : typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw as ArrayBuffer);
  if (buffer.byteLength > maxBytes) {
    return fail(new ProtocolError('frame_too_large', `frame of ${buffer.byteLength} bytes exceeds the ${maxBytes}-byte limit`));
  }
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8'));
  } catch {
    return fail(new ProtocolError('invalid_json', 'frame is not valid JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(new ProtocolError('invalid_message', 'a message must be a JSON object'));
  }
  const record = value as Record<string, unknown>;
  const replyTo = typeof record.id === 'string' && record.id.length <= 64 ? record.id : undefined;
  if (record.v !== PROTOCOL_VERSION) {
    return fail(new ProtocolError('unsupported_version', `protocol version ${String(record.v)} is not supported (expected ${PROTOCOL_VERSION})`), replyTo);
  }
  if (typeof record.type !== 'string' || !known.has(record.type)) {
    const shown = typeof record.type === 'string' ? record.type.slice(0, 64) : typeof record.type;
    return fail(new ProtocolError('unknown_type', `unknown message type "${shown}"`), replyTo);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    return fail(new ProtocolError('invalid_message', `invalid ${record.type}: ${formatZodError(parsed.error)}`), replyTo);
  }
  return { ok: true, message: parsed.data };
}

function fail<T>(error: ProtocolError, replyTo?: string): Decoded<T> {
  return replyTo === undefined ? { ok: false, error } : { ok: false, error, replyTo };
}

const typesOf = (union: { options: readonly { shape: { type: { value: string } } }[] }) =>
  new Set(union.options.map((option) => option.shape.type.value));

const workerTypes = typesOf(WorkerMessage);
const coordinatorTypes = typesOf(CoordinatorMessage);

/** Decodes a frame a worker sent. Never throws: a bad frame comes back as a typed error. */
export function decodeWorkerMessage(raw: string | Buffer | ArrayBuffer | Buffer[], maxBytes = MAX_FRAME_BYTES) {
  return decodeWith<WorkerMessage>(WorkerMessage, workerTypes, raw, maxBytes);
}

/** Decodes a frame the coordinator sent. Never throws: a bad frame comes back as a typed error. */
export function decodeCoordinatorMessage(raw: string | Buffer | ArrayBuffer | Buffer[], maxBytes = MAX_FRAME_BYTES) {
  return decodeWith<CoordinatorMessage>(CoordinatorMessage, coordinatorTypes, raw, maxBytes);
}
