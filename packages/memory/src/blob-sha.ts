import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/**
 * The id git gives a file's content (`git hash-object`), computed without spawning git so a search
 * can check its anchors cheaply. It differs from git's only where clean filters or autocrlf apply.
 */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.byteLength}\0`).update(content).digest('hex');
}

/** Hashes files of one repository, remembering each by size and mtime so unchanged files cost a stat. */
export class BlobHasher {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; sha: string }>();

  constructor(readonly repoRoot: string) {}

  /** The blob id of the file now, or undefined when it is gone. */
  shaOf(path: string): string | undefined {
    const full = isAbsolute(path) ? path : join(this.repoRoot, path);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      return undefined;
    }
    if (!stat.isFile()) return undefined;
    const cached = this.cache.get(full);
    if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.sha;
    const sha = gitBlobSha(readFileSync(full));
    this.cache.set(full, { size: stat.size, mtimeMs: stat.mtimeMs, sha });
    return sha;
  }
}
