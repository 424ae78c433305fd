import { lstat, readlink, realpath } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { SandboxError } from './errors.js';

export type Access = 'read' | 'write';

export interface Sandbox {
  /** The task root with every symbolic link resolved. */
  readonly root: string;
  /** The real absolute path `input` names, once it is known to stay under the root. */
  resolve(input: string, access: Access): Promise<string>;
  /** A resolved path as the model should see it: relative to the root, with "/" separators. */
  display(resolved: string): string;
}

/** Folder names no tool may write into, at any depth: git's internals and the run's own state. */
const PROTECTED_NAMES = new Set(['.git', '.coordinate']);
/** The kernel's own limit on links followed in one lookup. */
const MAX_LINK_HOPS = 40;

export function createSandbox(root: string): Sandbox {
  const base = realRoot(root);
  const prefix = base.endsWith(path.sep) ? base : base + path.sep;
  const isInside = (candidate: string) => candidate === base || candidate.startsWith(prefix);

  return {
    root: base,
    async resolve(input, access) {
      if (typeof input !== 'string' || input.trim() === '') throw new SandboxError('invalid_path', 'the path is empty; give a path relative to the task root');
      if (input.includes('\0')) throw new SandboxError('invalid_path', 'the path contains a NUL byte', { path: input });
      const lexical = path.resolve(base, input);
      const resolved = await realpathOfNearest(lexical, input);
      if (!isInside(resolved)) {
        const how = isInside(lexical) ? ' through a symbolic link' : '';
        throw new SandboxError('outside_root', `"${input}" leads outside the task root${how}; only paths inside the task root can be used`, { path: input });
      }
      if (access === 'write' && (isProtected(path.relative(base, lexical)) || isProtected(path.relative(base, resolved)))) {
        throw new SandboxError('protected_path', `"${input}" is inside .git or .coordinate, which tools may not write`, { path: input });
      }
      return resolved;
    },
    display(resolved) {
      return path.relative(base, resolved).split(path.sep).join('/') || '.';
    },
  };
}

function realRoot(root: string): string {
  try {
    return realpathSync(path.resolve(root));
  } catch {
    throw new SandboxError('invalid_path', `the task root "${root}" does not exist or cannot be read`, { path: root });
  }
}

const isProtected = (relative: string) => relative.split(path.sep).some((part) => PROTECTED_NAMES.has(part.toLowerCase()));

/**
 * The real path of `target`: the nearest ancestor that exists is resolved and the missing rest
 * appended. A dangling symbolic link on the way is followed to where it points, because writing
 * through it would create the file there.
 */
async function realpathOfNearest(target: string, input: string, hops = 0): Promise<string> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await realpath(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') throw new SandboxError('invalid_path', `"${input}" goes through a loop of symbolic links`, { path: input });
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const link = await danglingLinkTarget(current);
    if (link !== undefined) {
      if (hops >= MAX_LINK_HOPS) throw new SandboxError('invalid_path', `"${input}" goes through too many symbolic links`, { path: input });
      return realpathOfNearest(path.join(path.resolve(path.dirname(current), link), ...missing.reverse()), input, hops + 1);
    }
    const parent = path.dirname(current);
    if (parent === current) return path.join(current, ...missing.reverse());
    missing.push(path.basename(current));
    current = parent;
  }
}

async function danglingLinkTarget(candidate: string): Promise<string | undefined> {
  try {
    return (await lstat(candidate)).isSymbolicLink() ? await readlink(candidate) : undefined;
  } catch {
    return undefined;
  }
}
