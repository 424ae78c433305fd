import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { ensureInside, isMissing } from './containment.js';
import { ScratchpadError } from './errors.js';
import { checkContentSize } from './limits.js';
import { checkTaskId, parseName, TEMP_PREFIX } from './names.js';
import type { Scratchpad } from './types.js';

/** What a name refers to: a file with its text, a folder with the files below it, or nothing. */
export type ScratchpadEntry = { kind: 'file'; content: string } | { kind: 'folder'; entries: string[] } | undefined;

/** The scratchpad on a filesystem this process shares with the coordinator. */
export class LocalScratchpad implements Scratchpad {
  #realRoot: Promise<string> | undefined;

  /** `dir` must exist: the coordinator creates it when the run starts. */
  constructor(readonly dir: string) {}

  async read(name: string): Promise<string | undefined> {
    const entry = await this.lookup(name);
    return entry?.kind === 'file' ? entry.content : undefined;
  }

  async list(prefix?: string): Promise<string[]> {
    const root = await this.#root();
    if (prefix === undefined || prefix === '' || prefix === '/') return this.#walk(root, []);
    const segments = parseName(prefix, { folder: true });
    const folder = path.join(root, ...segments);
    await ensureInside(root, folder, prefix);
    return this.#walk(folder, segments);
  }

  async write(taskId: string, name: string, content: string): Promise<void> {
    checkTaskId(taskId);
    const segments = parseName(name);
    const shown = `${taskId}/${name}`;
    checkContentSize(shown, Buffer.byteLength(content, 'utf8'));
    const root = await this.#root();
    const file = path.join(root, taskId, ...segments);
    await ensureInside(root, file, shown);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      // mkdir follows links that appeared since the check, so check again before writing.
      await ensureInside(root, file, shown);
      await writeFileAtomic(file, content);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST') {
        throw new ScratchpadError('invalid_name', `cannot write "${shown}": a file and a folder would share a name`, { name: shown });
      }
      throw error;
    }
  }

  /** Reads a name that may be a file or a folder; the coordinator answers remote reads with it. */
  async lookup(name: string): Promise<ScratchpadEntry> {
    const segments = parseName(name, { folder: true });
    const root = await this.#root();
    const target = path.join(root, ...segments);
    await ensureInside(root, target, name);
    let stat;
    try {
      stat = await fs.stat(target);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    if (stat.isDirectory()) return { kind: 'folder', entries: await this.#walk(target, segments) };
    if (!stat.isFile()) return undefined;
    checkContentSize(name, stat.size);
    return { kind: 'file', content: await fs.readFile(target, 'utf8') };
  }

  #root(): Promise<string> {
    this.#realRoot ??= fs.realpath(this.dir).catch((error: unknown) => {
      this.#realRoot = undefined;
      if (isMissing(error)) {
        throw new ScratchpadError('not_found', `scratchpad directory ${this.dir} does not exist`, { dir: this.dir });
      }
      throw error;
    });
    return this.#realRoot;
  }

  /** Files below `folder`, named from the root. Links are skipped: they could lead anywhere. */
  async #walk(folder: string, segments: string[]): Promise<string[]> {
    let dirents;
    try {
      dirents = await fs.readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const names: string[] = [];
    for (const dirent of dirents) {
      if (dirent.name.startsWith(TEMP_PREFIX)) continue;
      const child = [...segments, dirent.name];
      if (dirent.isDirectory()) names.push(...(await this.#walk(path.join(folder, dirent.name), child)));
      else if (dirent.isFile()) names.push(child.join('/'));
    }
    return names.sort();
  }
}
