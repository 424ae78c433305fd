import fs from 'node:fs/promises';
import path from 'node:path';
import { ScratchpadError } from './errors.js';

/** Errors that mean "this path does not exist (yet)". */
export const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/**
 * Throws unless `target` stays inside `realRoot` once symlinks are resolved. The nearest
 * existing ancestor is `realpath`ed (the rest does not exist yet, so it holds no links).
 */
export async function ensureInside(realRoot: string, target: string, name: string): Promise<void> {
  const resolved = await resolveExisting(target);
  if (!resolved.startsWith(realRoot + path.sep)) {
    throw new ScratchpadError('outside', `scratchpad name "${name}" leads outside the scratchpad (through a symbolic link)`, { name });
  }
}

async function resolveExisting(target: string): Promise<string> {
  const rest: string[] = [];
  let existing = target;
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch (error) {
      const parent = path.dirname(existing);
      if (!isMissing(error) || parent === existing) throw error;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}
