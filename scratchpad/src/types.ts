import type { z } from 'zod';
import type { Outgoing, ScratchpadContent, ScratchpadRead, ScratchpadWrite } from '@coordinate/protocol';

/**
 * A run's shared directory. Everyone reads all of it; a task writes only under `<taskId>/`.
 * Names are relative POSIX paths from the scratchpad's root.
 */
export interface Scratchpad {
  /** The file's text, or undefined when there is no such file (a folder is not a file). */
  read(name: string): Promise<string | undefined>;
  /** File names below the folder `prefix` (all files without it), relative to the root, sorted. */
  list(prefix?: string): Promise<string[]>;
  /** Writes `<taskId>/<name>` whole: a reader sees the old content or the new, never a mix. */
  write(taskId: string, name: string, content: string): Promise<void>;
}

export type ScratchpadReadMessage = z.infer<typeof ScratchpadRead>;
export type ScratchpadWriteMessage = z.infer<typeof ScratchpadWrite>;
export type ScratchpadContentMessage = z.infer<typeof ScratchpadContent>;
export type ScratchpadRequest = Outgoing<ScratchpadReadMessage> | Outgoing<ScratchpadWriteMessage>;
export type ScratchpadReply = Outgoing<ScratchpadContentMessage>;

/** What the worker supplies to reach the coordinator's scratchpad: send a request, await its reply. */
export type ScratchpadRequester = (message: ScratchpadRequest) => Promise<ScratchpadContentMessage>;
