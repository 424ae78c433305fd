import { ProtocolError } from '@coordinate/protocol';
import { ScratchpadError } from './errors.js';
import { MAX_ENTRIES } from './limits.js';
import type { LocalScratchpad } from './local.js';
import type { ScratchpadReadMessage, ScratchpadReply, ScratchpadWriteMessage } from './types.js';

/**
 * Serves a remote worker's `scratchpad.read` / `scratchpad.write` from the local scratchpad and
 * returns the `scratchpad.content` reply. `canWrite` says whether the sender currently holds the
 * task it writes for; a write for any other task is refused with ProtocolError('forbidden').
 * Throws ScratchpadError for a bad name or size, which the caller sends back as an `error` frame.
 */
export async function answerScratchpadRequest(
  pad: LocalScratchpad,
  message: ScratchpadReadMessage | ScratchpadWriteMessage,
  canWrite: (taskId: string) => boolean,
): Promise<ScratchpadReply> {
  if (message.type === 'scratchpad.write') {
    if (!canWrite(message.taskId)) {
      throw new ProtocolError('forbidden', `this worker does not hold task "${message.taskId}", so it cannot write in its scratchpad folder`);
    }
    await pad.write(message.taskId, message.name, message.content);
    return { type: 'scratchpad.content', name: `${message.taskId}/${message.name}`, exists: true, replyTo: message.id };
  }
  const base = { type: 'scratchpad.content', name: message.name, replyTo: message.id } as const;
  if (message.name === '' || message.name === '/') return { ...base, exists: true, entries: limitEntries(await pad.list(), message.name) };
  const entry = await pad.lookup(message.name);
  if (entry === undefined) return { ...base, exists: false };
  if (entry.kind === 'folder') return { ...base, exists: true, entries: limitEntries(entry.entries, message.name) };
  return { ...base, exists: true, content: entry.content };
}

function limitEntries(entries: string[], name: string): string[] {
  if (entries.length > MAX_ENTRIES) {
    throw new ScratchpadError('too_large', `scratchpad folder "${name || '/'}" holds ${entries.length} files, over the ${MAX_ENTRIES} a reply can list: list a subfolder`, {
      name,
      entries: entries.length,
    });
  }
  return entries;
}
