import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { writeAtomic } from '../run/write-atomic.js';
import { WatchError } from './errors.js';

/**
 * A small JSON file checked against its schema on every read: the first read of a missing file
 * gives `empty`; a damaged file is WatchError('corrupt_watch_state') naming it (never a guess).
 */
export class JsonStore<S extends z.ZodType> {
  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly empty: () => z.output<S>,
  ) {}

  async read(): Promise<z.output<S>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new WatchError('corrupt_watch_state', `${this.file} is damaged; delete it and the watcher starts that record afresh`, { file: this.file });
  }

  async write(value: z.output<S>): Promise<void> {
    await writeAtomic(this.file, `${JSON.stringify(value, null, 2)}\n`);
  }
}
