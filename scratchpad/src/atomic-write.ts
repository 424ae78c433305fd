import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { TEMP_PREFIX } from './names.js';

/**
 * Writes `content` to `file` through a temp file in the same folder (write, fsync, rename),
 * so a concurrent reader sees either the old file or the new one, never part of it.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `${TEMP_PREFIX}${path.basename(file)}.${randomBytes(6).toString('hex')}`);
  const handle = await fs.open(temp, 'wx');
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
