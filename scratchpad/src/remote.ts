import { checkContentSize } from './limits.js';
import { checkTaskId, parseName } from './names.js';
import type { Scratchpad, ScratchpadRequester } from './types.js';

/**
 * The scratchpad for a worker without the shared filesystem: every call is a
 * `scratchpad.read` / `scratchpad.write` request answered by the coordinator. Names are
 * checked here too, so a bad one fails at once with the same error as on disk.
 */
export class RemoteScratchpad implements Scratchpad {
  constructor(private readonly request: ScratchpadRequester) {}

  async read(name: string): Promise<string | undefined> {
    parseName(name);
    const reply = await this.request({ type: 'scratchpad.read', name });
    if (!reply.exists || reply.entries !== undefined) return undefined;
    return reply.content ?? '';
  }

  async list(prefix?: string): Promise<string[]> {
    const name = prefix === undefined || prefix === '/' ? '' : prefix;
    if (name !== '') parseName(name, { folder: true });
    const reply = await this.request({ type: 'scratchpad.read', name });
    return reply.entries ?? [];
  }

  async write(taskId: string, name: string, content: string): Promise<void> {
    checkTaskId(taskId);
    parseName(name);
    checkContentSize(`${taskId}/${name}`, Buffer.byteLength(content, 'utf8'));
    await this.request({ type: 'scratchpad.write', taskId, name, content });
  }
}
