import type { TaskMemory, TaskScratchpad } from '@coordinate/protocol';
import { ToolError } from '../errors.js';
import { clipMiddle } from '../output-limit.js';
import { success, type ToolOutcome } from '../outcome.js';
import type { MemoryProposeInput, MemorySearchInput, ScratchpadReadInput, ScratchpadWriteInput } from '../schemas.js';

const unavailable = (what: string) => new ToolError('unavailable', `${what} is not available in this run`);

export async function scratchpadReadTool(input: ScratchpadReadInput, pad: TaskScratchpad | undefined, maxOutputBytes: number): Promise<ToolOutcome> {
  if (!pad) throw unavailable('the scratchpad');
  const name = input.name.trim();
  const asFolder = name === '' || name.endsWith('/');
  const content = asFolder ? undefined : await pad.read(name);
  if (content !== undefined) return success(clipMiddle(content, maxOutputBytes), `read scratchpad ${name}`);

  const entries = await pad.list(asFolder ? name.replace(/\/+$/, '') || undefined : name);
  const label = name === '' ? 'the scratchpad' : `"${name}"`;
  if (entries.length === 0) {
    throw new ToolError('not_found', `${label} holds no notes; scratchpad_read with name "" lists every note`);
  }
  return success(clipMiddle(`${label} holds:\n${entries.join('\n')}`, maxOutputBytes), `listed scratchpad ${name || '/'}: ${entries.length} notes`);
}

export async function scratchpadWriteTool(input: ScratchpadWriteInput, pad: TaskScratchpad | undefined): Promise<ToolOutcome> {
  if (!pad) throw unavailable('the scratchpad');
  await pad.write(input.name, input.content);
  return success(`wrote scratchpad note ${input.name} (${Buffer.byteLength(input.content)} bytes)`, `wrote scratchpad ${input.name}`);
}

export async function memorySearchTool(input: MemorySearchInput, memory: TaskMemory | undefined, maxOutputBytes: number): Promise<ToolOutcome> {
  if (!memory) throw unavailable('team memory');
  const found = await memory.search(input.query);
  if (found.length === 0) return success(`team memory has nothing about "${input.query}"`, 'memory search: no entries');
  const text = found
    .map((entry) => {
      const stale = entry.needsRevalidation ? ' (may be out of date: check before relying on it)' : '';
      return `[${entry.id}] (${entry.kind})${stale} ${entry.summary}${entry.body ? `\n${entry.body}` : ''}`;
    })
    .join('\n\n');
  return success(clipMiddle(text, maxOutputBytes), `memory search: ${found.length} entries`);
}

export async function memoryProposeTool(input: MemoryProposeInput, memory: TaskMemory | undefined): Promise<ToolOutcome> {
  if (!memory) throw unavailable('team memory');
  const admitted = await memory.propose({ kind: input.kind, text: input.text, ...(input.tags ? { tags: input.tags } : {}) });
  if (!admitted) return success('the proposal was received, but this run keeps no team memory', 'memory proposal not kept');
  return success(`team memory ${admitted.action} the proposal as ${admitted.id}`, `memory proposal ${admitted.action} (${admitted.id})`);
}
