import { TaskId } from '@coordinate/protocol';
import { ScratchpadError } from './errors.js';

export const MAX_NAME_LENGTH = 500;
/** In-progress writes live beside their target under this prefix; names may not use it. */
export const TEMP_PREFIX = '.~';

const invalid = (name: string, why: string) =>
  new ScratchpadError('invalid_name', `scratchpad name ${JSON.stringify(name.slice(0, 80))} ${why}`, { name: name.slice(0, MAX_NAME_LENGTH) });

/**
 * Checks a scratchpad name (a relative POSIX path such as "t1/notes.md") and returns its segments.
 * A trailing "/" is accepted where a folder is meant (`folder: true`).
 */
export function parseName(name: string, options: { folder?: boolean } = {}): string[] {
  if (typeof name !== 'string' || name.length === 0) throw invalid(String(name), 'is empty: give a relative path such as "task-1/notes.md"');
  if (name.length > MAX_NAME_LENGTH) throw invalid(name, `is longer than ${MAX_NAME_LENGTH} characters`);
  if (name.includes('\0')) throw invalid(name, 'contains a NUL byte');
  if (name.includes('\\')) throw invalid(name, 'contains a backslash: use "/" between folders');
  if (name.startsWith('/')) throw invalid(name, 'is absolute: give a path relative to the scratchpad');
  const trimmed = options.folder ? name.replace(/\/+$/, '') : name;
  const segments = trimmed.split('/');
  for (const segment of segments) {
    if (segment === '..') throw invalid(name, 'contains a ".." segment: names cannot leave the scratchpad');
    if (segment === '' || segment === '.') throw invalid(name, 'has an empty or "." segment');
    if (segment.startsWith(TEMP_PREFIX)) throw invalid(name, `has a segment starting with "${TEMP_PREFIX}", which is reserved`);
  }
  return segments;
}

/** A task id names the folder a task writes in, so it must be a valid protocol task id. */
export function checkTaskId(taskId: string): void {
  if (!TaskId.safeParse(taskId).success) {
    throw invalid(String(taskId), 'is not a valid task id: use letters, digits, "-" and "_"');
  }
}
