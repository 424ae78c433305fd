import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleAssembler, ChangeRefusedError, type BundleRef } from '@coordinate/protocol';

const keyOf = (taskId: string, attempt: number, sha256: string) => `${taskId}-${attempt}-${sha256}`;

/**
 * The change bundles remote workers upload before their results, one file per attempt and bundle.
 * A chunk sent again after a reconnect is taken once; an upload whose checksum fails is dropped, so
 * the worker's next try starts from zero.
 */
export class ChangeUploads {
  readonly #uploads = new Map<string, BundleAssembler>();

  constructor(private readonly dir: string) {}

  /** Adds a chunk; resolves with the bytes held. */
  async put(taskId: string, attempt: number, ref: BundleRef, offset: number, data: string): Promise<number> {
    const key = keyOf(taskId, attempt, ref.sha256);
    let upload = this.#uploads.get(key);
    if (!upload || upload.expected.bytes !== ref.bytes) {
      await mkdir(this.dir, { recursive: true });
      upload = new BundleAssembler(join(this.dir, `${key}.bundle`), ref);
      this.#uploads.set(key, upload);
    }
    try {
      return await upload.add(offset, data);
    } catch (error) {
      this.#uploads.delete(key);
      throw error;
    }
  }

  /** The file of a complete, checked upload; `change_refused` when none was received. */
  take(taskId: string, attempt: number, ref: BundleRef): string {
    const upload = this.#uploads.get(keyOf(taskId, attempt, ref.sha256));
    if (!upload?.complete || upload.expected.bytes !== ref.bytes) {
      throw new ChangeRefusedError(`the result of ${taskId} attempt ${attempt} names a change bundle (${ref.sha256.slice(0, 12)}…) that was not uploaded whole`);
    }
    return upload.file;
  }

  async close(): Promise<void> {
    this.#uploads.clear();
    await rm(this.dir, { recursive: true, force: true });
  }
}
