import { ScratchpadError } from './errors.js';

/** A file must fit in one `scratchpad.content` frame (the protocol caps content at 4 Mi characters). */
export const MAX_CONTENT_BYTES = 4 * 1024 * 1024;
/** The protocol caps a folder listing at this many entries. */
export const MAX_ENTRIES = 10_000;

export function checkContentSize(name: string, bytes: number): void {
  if (bytes > MAX_CONTENT_BYTES) {
    throw new ScratchpadError(
      'too_large',
      `scratchpad file "${name}" is ${bytes} bytes, over the ${MAX_CONTENT_BYTES}-byte limit: split it into smaller files`,
      { name, bytes, limit: MAX_CONTENT_BYTES },
    );
  }
}
