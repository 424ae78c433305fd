import { z } from 'zod';
import { Evidence, MemoryKind, Outcome } from '@coordinate/protocol';

const filePath = z.string().min(1).max(4096);

export const ReadFileInput = z.object({
  path: filePath.describe('File path relative to the task root.'),
  offset: z.number().int().min(1).optional().describe('First line to show, counting from 1 (default 1).'),
  limit: z.number().int().min(1).max(5000).optional().describe('How many lines to show (default 2000).'),
});

export const ListFilesInput = z.object({
  pattern: z.string().min(1).max(500).optional().describe('Glob such as "src/**/*.ts" (default "**/*"), relative to `path`.'),
  path: filePath.optional().describe('Folder to list, relative to the task root (default: the root).'),
});

export const SearchFilesInput = z.object({
  pattern: z.string().min(1).max(1000).describe('JavaScript regular expression matched against each line.'),
  path: filePath.optional().describe('File or folder to search, relative to the task root (default: the root).'),
  glob: z.string().min(1).max(500).optional().describe('Only search files matching this glob, e.g. "**/*.ts".'),
});

export const WriteFileInput = z.object({
  path: filePath.describe('File path relative to the task root; missing folders are created.'),
  content: z.string().max(5 * 1024 * 1024).describe('The complete new content of the file.'),
});

export const EditFileInput = z.object({
  path: filePath.describe('File path relative to the task root.'),
  old_string: z.string().min(1).max(1024 * 1024).describe('Exact text to replace, including whitespace; must occur exactly once unless replace_all is set.'),
  new_string: z.string().max(1024 * 1024).describe('Text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence instead of exactly one.'),
});

export const RunCommandInput = z.object({
  command: z.string().min(1).max(2000).describe('A shell command line, run with /bin/sh in the task root.'),
  timeout_ms: z.number().int().min(1000).max(30 * 60_000).optional().describe('Time limit in milliseconds (default 120000).'),
});

const scratchName = z.string().max(500);

export const ScratchpadReadInput = z.object({
  name: scratchName.describe('File name in the run scratchpad, e.g. "research-api/notes.md"; a folder name ending in "/" (or "") lists its files.'),
});

export const ScratchpadWriteInput = z.object({
  name: scratchName.min(1).describe("File name inside this task's scratchpad folder, e.g. \"notes.md\"."),
  content: z.string().max(4 * 1024 * 1024).describe('The complete content of the note.'),
});

export const MemorySearchInput = z.object({
  query: z.string().min(1).max(2000).describe('Words to look for in team memory.'),
});

export const MemoryProposeInput = z.object({
  kind: MemoryKind.describe('fact, convention, directive (a standing order), pitfall or procedure.'),
  text: z.string().min(1).max(10_000).describe('One self-contained statement, useful to a later task.'),
  tags: z.array(z.string().min(1).max(64)).max(20).optional().describe('Short topic tags.'),
});

export const CompleteTaskInput = z.object({
  status: Outcome.describe('"succeeded" when the task is done as asked, otherwise "failed".'),
  summary: z.string().min(1).max(20_000).describe('What was done and found, for the tasks that follow.'),
  details: z.string().max(100_000).optional().describe('Longer notes, if any.'),
  evidence: z.array(Evidence).max(50).optional().describe('Commands run to check the work, each with its exit code and an excerpt of its output.'),
  waitsFor: z
    .string()
    .min(1)
    .max(1000)
    .optional()
    .describe('With status "failed" only: the file whose lease another task holds, when this attempt ends to wait for it (the task starts again once that task is done).'),
});

export type ReadFileInput = z.infer<typeof ReadFileInput>;
export type ListFilesInput = z.infer<typeof ListFilesInput>;
export type SearchFilesInput = z.infer<typeof SearchFilesInput>;
export type WriteFileInput = z.infer<typeof WriteFileInput>;
export type EditFileInput = z.infer<typeof EditFileInput>;
export type RunCommandInput = z.infer<typeof RunCommandInput>;
export type ScratchpadReadInput = z.infer<typeof ScratchpadReadInput>;
export type ScratchpadWriteInput = z.infer<typeof ScratchpadWriteInput>;
export type MemorySearchInput = z.infer<typeof MemorySearchInput>;
export type MemoryProposeInput = z.infer<typeof MemoryProposeInput>;
export type CompleteTaskInput = z.infer<typeof CompleteTaskInput>;
