import fs from 'node:fs/promises';
import { JournalError } from './errors.js';
import type { JournalEvent } from './events.js';
import { parseJournal } from './parse.js';

/**
 * Reads every event of a journal. A torn or invalid last line (a crash in the middle of an
 * append) is left out and reported as `tornTail`; a bad line before it is a JournalError
 * (`corrupt_journal`) naming its line number.
 */
export async function readJournal(file: string): Promise<{ events: JournalEvent[]; tornTail: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new JournalError('not_found', `no journal at ${file}: this run never started or was moved`, { file });
    }
    throw error;
  }
  const { events, tornTail } = parseJournal(bytes, file);
  return { events, tornTail };
}
