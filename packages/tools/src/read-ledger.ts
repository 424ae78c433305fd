import { createHash } from 'node:crypto';
import { ToolError } from './errors.js';

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * What one task has seen of each file: the bytes it last read or wrote, as a hash by real path. A
 * task may only replace what it has seen as it is now, so work it never looked at (another task's
 * merged file, a change a command made) is not overwritten blindly.
 */
export class ReadLedger {
  readonly #seen = new Map<string, string>();

  /** Records the bytes the task read from or wrote to `file`. */
  saw(file: string, bytes: Buffer): void {
    this.#seen.set(file, digest(bytes));
  }

  /**
   * Before `write_file` replaces an existing file. Throws ToolError `not_read` when the task never
   * read it, `changed_since_read` when its bytes differ from what the task last saw.
   */
  checkOverwrite(file: string, current: Buffer, display: string): void {
    if (!this.#seen.has(file)) {
      throw new ToolError(
        'not_read',
        `"${display}" already exists and this task has not read it; read it with read_file first, then write the whole new content (or change a part with edit_file)`,
      );
    }
    this.checkEdit(file, current, display);
  }

  /** Before `edit_file` changes a file: throws ToolError `changed_since_read` when it differs from what the task last saw. */
  checkEdit(file: string, current: Buffer, display: string): void {
    const seen = this.#seen.get(file);
    if (seen !== undefined && seen !== digest(current)) {
      throw new ToolError('changed_since_read', `"${display}" changed since this task last read it; read it again with read_file, then make the change on what it holds now`);
    }
  }
}
