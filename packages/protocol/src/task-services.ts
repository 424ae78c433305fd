import type { z } from 'zod';
import type { MemorySnippet } from './domain.js';
import type { MemoryPropose } from './messages.js';

/**
 * The run scratchpad as one task sees it, the same whether the folder is shared or reached over
 * the socket: it reads everything and writes in its own folder. Names are relative POSIX paths.
 */
export interface TaskScratchpad {
  /** The note's text, or undefined when there is no such note. */
  read(name: string): Promise<string | undefined>;
  /** Note names below the folder `prefix` (all of them without it), sorted. */
  list(prefix?: string): Promise<string[]>;
  /** Writes `<own taskId>/<name>` whole. */
  write(name: string, content: string): Promise<void>;
}

/** A proposal as a task makes it: the payload of `memory.propose` without the task id the coordinator knows. */
export type TaskMemoryProposal = Pick<z.infer<typeof MemoryPropose>, 'kind' | 'title' | 'text' | 'tags' | 'files'>;

/** Team memory as a task reaches it, locally or through the coordinator, which owns the store. */
export interface TaskMemory {
  search(query: string, files?: string[]): Promise<MemorySnippet[]>;
  /** Resolves with what the store did with the proposal, or undefined when the coordinator keeps no memory. */
  propose(proposal: TaskMemoryProposal): Promise<{ id: string; action: string } | undefined>;
}
