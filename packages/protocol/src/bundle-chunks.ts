import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { BUNDLE_CHUNK_BYTES, BundleChecksumError, BundleTooLargeError, MAX_BUNDLE_BYTES, type BundleRef } from './bundle.js';
import { ProtocolError } from './errors.js';

/** The SHA-256 and size of a bundle file on disk. */
export async function bundleRefOf(file: string): Promise<BundleRef> {
  const { size } = await stat(file);
  if (size > MAX_BUNDLE_BYTES) throw new BundleTooLargeError(`the bundle is ${size} bytes, over the ${MAX_BUNDLE_BYTES}-byte limit`, { bytes: size, limit: MAX_BUNDLE_BYTES });
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: size };
}

/** The chunk of `file` that starts at `offset`, base64, at most {@link BUNDLE_CHUNK_BYTES} bytes of it (empty at the end). */
export async function readBundleChunk(file: string, offset: number): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(BUNDLE_CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, BUNDLE_CHUNK_BYTES, offset);
    return buffer.subarray(0, bytesRead).toString('base64');
  } finally {
    await handle.close();
  }
}

/**
 * Receives one bundle in order into `file`. A chunk already held (sent again after a reconnect) is
 * accepted and changes nothing; a chunk past what is held, or one that would pass the announced
 * size, is refused. Once the announced size is reached the bytes must hash to the announced SHA-256.
 */
export class BundleAssembler {
  #received = 0;
  readonly #hash = createHash('sha256');
  #verified = false;

  constructor(
    readonly file: string,
    readonly expected: BundleRef,
  ) {
    if (expected.bytes > MAX_BUNDLE_BYTES) throw new BundleTooLargeError(`a bundle of ${expected.bytes} bytes is over the ${MAX_BUNDLE_BYTES}-byte limit`, { bytes: expected.bytes, limit: MAX_BUNDLE_BYTES });
  }

  get received(): number {
    return this.#received;
  }

  get complete(): boolean {
    return this.#verified;
  }

  /** Adds the chunk at `offset`; resolves with the bytes held so far. Throws `bundle_checksum` when the whole does not match. */
  async add(offset: number, base64: string): Promise<number> {
    const data = Buffer.from(base64, 'base64');
    if (offset + data.byteLength <= this.#received) return this.#received;
    if (offset !== this.#received) throw new ProtocolError('invalid_message', `bundle chunk at ${offset} does not follow the ${this.#received} bytes held`);
    if (offset + data.byteLength > this.expected.bytes) throw new ProtocolError('invalid_message', `bundle chunk passes the announced ${this.expected.bytes} bytes`);
    const handle = await open(this.file, offset === 0 ? 'w' : 'r+', 0o600);
    try {
      await handle.write(data, 0, data.byteLength, offset);
    } finally {
      await handle.close();
    }
    this.#hash.update(data);
    this.#received += data.byteLength;
    if (this.#received === this.expected.bytes) {
      const actual = this.#hash.digest('hex');
      if (actual !== this.expected.sha256) {
        await rm(this.file, { force: true });
        throw new BundleChecksumError(`the bundle's bytes hash to ${actual}, not the announced ${this.expected.sha256}`, { expected: this.expected.sha256, actual });
      }
      this.#verified = true;
    }
    return this.#received;
  }
}
