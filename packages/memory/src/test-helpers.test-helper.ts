import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openMemory, type MemoryStore, type OpenMemoryOptions } from './index.js';

/** A fresh memory in a temp dir per test, closed and removed afterwards; `clock` is settable. */
export function useTempMemory() {
  const opened: MemoryStore[] = [];
  const dirs: string[] = [];
  const clock = { now: Date.UTC(2025, 0, 1) };
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    clock,
    dir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'coordinate-memory-'));
      dirs.push(dir);
      return dir;
    },
    open(file?: string, options: OpenMemoryOptions = {}): MemoryStore {
      const store = openMemory(file ?? join(this.dir(), 'memory.db'), { now: () => clock.now, ...options });
      opened.push(store);
      return store;
    },
  };
}
