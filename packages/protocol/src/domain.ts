import { z } from 'zod';

/** Ids name tasks in branches, folders and prompts, so they stay short and path-safe. */
export const TaskId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'use letters, digits, "-" and "_" (starting with a letter or digit)');

export const Role = z.enum(['research', 'implement', 'verify']);
export type Role = z.infer<typeof Role>;

/** One task of a plan, exactly as the planner's `submit_plan` tool describes it. */
export const TaskSpec = z.object({
  id: TaskId,
  title: z.string().min(1).max(200),
  role: Role,
  instructions: z.string().max(20_000),
  dependsOn: z.array(TaskId).max(100).default([]),
  files: z.array(z.string().min(1).max(500)).max(200).optional(),
  acceptance: z.array(z.string().min(1).max(2000)).max(50).optional(),
  commands: z.array(z.string().min(1).max(2000)).max(50).optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

const tokens = z.number().int().nonnegative();

/**
 * Times a task is handed out before it counts as failed: one default for the project config, the
 * CLI and the library entry points (`runPlan`, `executeRun`), so no layer retries differently.
 */
export const MaxAttempts = z.number().int().min(1).max(10).default(3);

export const Usage = z.object({
  inputTokens: tokens,
  outputTokens: tokens,
  cacheWriteTokens: tokens,
  cacheReadTokens: tokens,
  requests: tokens,
  costUsd: z.number().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

export const emptyUsage = (): Usage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
  requests: 0,
  costUsd: 0,
});

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    requests: a.requests + b.requests,
    costUsd: a.costUsd + b.costUsd,
  };
}

/**
 * How an attempt's cumulative usage grows when it reports again (progress after each request, then
 * its result): each field keeps the larger figure, so a request is counted once however often it is
 * reported, and a result that reports less (a crash reports nothing) takes nothing back.
 */
export function usageGrowth(previous: Usage | undefined, reported: Usage): { cumulative: Usage; added: Usage } {
  const before = previous ?? emptyUsage();
  // Field by field rather than through Object.entries: a journal replay calls this for every progress event.
  const cumulative: Usage = {
    inputTokens: Math.max(before.inputTokens, reported.inputTokens),
    outputTokens: Math.max(before.outputTokens, reported.outputTokens),
    cacheWriteTokens: Math.max(before.cacheWriteTokens, reported.cacheWriteTokens),
    cacheReadTokens: Math.max(before.cacheReadTokens, reported.cacheReadTokens),
    requests: Math.max(before.requests, reported.requests),
    costUsd: Math.max(before.costUsd, reported.costUsd),
  };
  const added: Usage = {
    inputTokens: cumulative.inputTokens - before.inputTokens,
    outputTokens: cumulative.outputTokens - before.outputTokens,
    cacheWriteTokens: cumulative.cacheWriteTokens - before.cacheWriteTokens,
    cacheReadTokens: cumulative.cacheReadTokens - before.cacheReadTokens,
    requests: cumulative.requests - before.requests,
    costUsd: cumulative.costUsd - before.costUsd,
  };
  return { cumulative, added };
}

/** What a verification shows for its verdict: a command it ran, how it ended, and what it printed. */
export const Evidence = z.object({
  command: z.string().min(1).max(2000),
  exitCode: z.number().int(),
  excerpt: z.string().max(20_000),
});
export type Evidence = z.infer<typeof Evidence>;

/** How a file conflicted in a merge: both changed its content, both added it, one changed what the other deleted, or a rename met another change. */
export const ConflictKind = z.enum(['content', 'add/add', 'modify/delete', 'rename']);
export type ConflictKind = z.infer<typeof ConflictKind>;

export const ConflictedFile = z.object({ path: z.string().max(500), kind: ConflictKind });
export type ConflictedFile = z.infer<typeof ConflictedFile>;
/**
 * A command a task really ran: `excerpt` is the tool result the model was shown (its `exit code N`
 * line, output and truncation notes); `tree` identifies the working tree right after it ended (a git
 * tree id, absent outside git), so a run made before a later change to the tree can be told apart.
 */
export const CommandRun = Evidence.extend({ excerpt: z.string().max(32_000), tree: z.string().max(64).optional() });
export type CommandRun = z.infer<typeof CommandRun>;

export const Outcome = z.enum(['succeeded', 'failed']);
export type Outcome = z.infer<typeof Outcome>;

export const MemoryKind = z.enum(['fact', 'convention', 'directive', 'pitfall', 'procedure']);
export type MemoryKind = z.infer<typeof MemoryKind>;

/** A one-line view of a memory entry, small enough to inject into a prompt. */
export const MemorySnippet = z.object({
  id: z.string().max(64),
  kind: MemoryKind,
  summary: z.string().max(1000),
  body: z.string().max(20_000).optional(),
  needsRevalidation: z.boolean().optional(),
});
export type MemorySnippet = z.infer<typeof MemorySnippet>;
