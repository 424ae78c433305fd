import { z } from 'zod';
import { ToolName } from '@coordinate/protocol';
import * as input from './schemas.js';

/** Risk tiers, least to most dangerous. `external` (network, pushing) has no tool of its own: it is off unless the policy turns network on. */
export const Tier = z.enum(['observe', 'record', 'edit', 'execute', 'external']);
export type Tier = z.infer<typeof Tier>;


export interface CatalogEntry {
  tier: Tier;
  schema: z.ZodObject;
  description: string;
}

/** Every worker tool once: its tier, its input schema and what the model is told about it. */
export const TOOL_CATALOG: Record<ToolName, CatalogEntry> = {
  read_file: {
    tier: 'observe',
    schema: input.ReadFileInput,
    description:
      'Read a text file. Lines come numbered ("  12\\tline"). Use offset and limit to page through long files; binary files are refused.',
  },
  list_files: {
    tier: 'observe',
    schema: input.ListFilesInput,
    description:
      'List files matching a glob, relative to the task root, sorted. .git, node_modules and .coordinate are skipped. Long listings are cut with a note.',
  },
  search_files: {
    tier: 'observe',
    schema: input.SearchFilesInput,
    description:
      'Search file contents with a JavaScript regular expression, line by line. Answers "path:line: text" per match. Binary and very large files are skipped; many matches are cut with a note.',
  },
  write_file: {
    tier: 'edit',
    schema: input.WriteFileInput,
    description:
      'Create a file or replace its whole content; missing folders are created. Prefer edit_file for changing part of an existing file. Answers with a diff.',
  },
  edit_file: {
    tier: 'edit',
    schema: input.EditFileInput,
    description:
      'Replace old_string with new_string in a file. old_string must match exactly (whitespace included) and occur exactly once; add surrounding lines to make it unique, or set replace_all. Answers with a diff.',
  },
  run_command: {
    tier: 'execute',
    schema: input.RunCommandInput,
    description:
      'Run a shell command in the task root, inside the OS sandbox, and get its exit code and combined output. The toolset tells each role what confines it (see runCommandDescription).',
  },
  scratchpad_read: {
    tier: 'record',
    schema: input.ScratchpadReadInput,
    description: "Read a note from the run's shared scratchpad, where every task keeps notes under its own folder; a folder name lists its files.",
  },
  scratchpad_write: {
    tier: 'record',
    schema: input.ScratchpadWriteInput,
    description: "Write a note to this task's folder of the run's shared scratchpad, for later tasks to read. Replaces the note if it exists.",
  },
  memory_search: {
    tier: 'record',
    schema: input.MemorySearchInput,
    description: "Search the team's memory (facts, conventions, directives, pitfalls, procedures learned in earlier runs).",
  },
  memory_propose: {
    tier: 'record',
    schema: input.MemoryProposeInput,
    description: 'Propose a lasting lesson for team memory: something true of this project that a later task would want to know. Not for task progress.',
  },
  complete_task: {
    tier: 'record',
    schema: input.CompleteTaskInput,
    description:
      'Finish the task. This is the only way to end it. A verification verdict must carry evidence: the commands run, their exit codes and output excerpts.',
  },
};

export const isToolName = (name: string): name is ToolName => ToolName.safeParse(name).success;
