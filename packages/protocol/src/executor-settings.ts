import { z } from 'zod';

/** The worker tools' names: part of the model-facing contract (DESIGN.md), shared by the tools and every policy that names them. */
export const ToolName = z.enum([
  'read_file',
  'list_files',
  'search_files',
  'write_file',
  'edit_file',
  'run_command',
  'scratchpad_read',
  'scratchpad_write',
  'memory_search',
  'memory_propose',
  'complete_task',
]);
export type ToolName = z.infer<typeof ToolName>;

const perMillion = z.number().nonnegative();

/** USD per million tokens. */
export const ModelPrice = z.object({ input: perMillion, output: perMillion, cacheWrite: perMillion, cacheRead: perMillion });
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Prices by model name; a key also matches dated variants that start with it (`claude-haiku-4-5-20251001`). */
export const PriceTable = z.record(z.string().min(1), ModelPrice);
export type PriceTable = z.infer<typeof PriceTable>;

const patternList = z.array(z.string().min(1).max(500)).max(500);

/** A standing order compiled from team memory: globs that must not be edited, commands that must not run. */
export const Directive = z.strictObject({
  id: z.string().min(1).max(64),
  text: z.string().min(1).max(2000),
  paths: patternList.optional(),
  commands: patternList.optional(),
});
export type Directive = z.infer<typeof Directive>;

/**
 * The project's tool policy, read once when a run starts. `tools.allow` grants a tool beyond a
 * role's tiers and `tools.deny` removes one (deny wins). `commands.allow` adds to the default
 * allowlist of roles that run allowlisted commands; `commands.deny` adds to the default deny
 * list, which applies to every role. Patterns match whole command lines, `*` matching anything.
 * Unknown keys are refused, so a misspelt rule is an error rather than silently ignored.
 */
export const ToolPolicy = z.strictObject({
  tools: z
    .strictObject({
      allow: z.array(ToolName).max(50).optional(),
      deny: z.array(ToolName.exclude(['complete_task'])).max(50).optional(),
    })
    .optional(),
  commands: z.strictObject({ allow: patternList.optional(), deny: patternList.optional() }).optional(),
  directives: z.array(Directive).max(500).optional(),
  network: z.boolean().optional(),
});
export type ToolPolicy = z.infer<typeof ToolPolicy>;

const positiveInt = z.number().int().positive();

/**
 * What the coordinator tells the model executor about one task, in `task.assign`'s
 * `context.settings.model`: written by the coordinator, read by the worker.
 * Limits here and in `context.budget` both apply: the stricter one wins.
 */
export const ModelExecutorSettings = z.strictObject({
  /** Wins over `context.model`; without either, the role's default model is used. */
  model: z.string().min(1).max(200).optional(),
  maxTurns: positiveInt.max(10_000).optional(),
  maxOutputTokens: positiveInt.max(1_000_000).optional(),
  /** Tokens the task's user prompt may take (dependency summaries and memory are cut to fit). */
  promptTokenBudget: positiveInt.max(10_000_000).optional(),
  /** Prompt-cache breakpoints (default on). */
  cache: z.boolean().optional(),
  pricing: PriceTable.optional(),
  policy: ToolPolicy.optional(),
  /** Where every request and response of the task is appended, redacted (JSON lines). */
  transcriptFile: z.string().min(1).max(4096).optional(),
  commandTimeoutMs: positiveInt.max(86_400_000).optional(),
  budget: z
    .strictObject({
      maxTokens: positiveInt.optional(),
      maxCostUsd: z.number().positive().optional(),
    })
    .optional(),
  /** How failed model requests (429, 529, 5xx, cut streams) are retried. */
  retry: z
    .strictObject({
      maxRetries: z.number().int().nonnegative().max(100).optional(),
      baseDelayMs: z.number().int().nonnegative().max(600_000).optional(),
      maxDelayMs: z.number().int().nonnegative().max(3_600_000).optional(),
    })
    .optional(),
  /** A response stream silent this long counts as broken and is retried. */
  idleTimeoutMs: positiveInt.max(3_600_000).optional(),
  /** How a verification's verdict is checked before the task ends. */
  verify: z
    .strictObject({
      /** The commands a success must prove (the plan's, else the configured test commands); empty when none is known. */
      requiredCommands: z.array(z.string().min(1).max(2000)).max(50),
      /** Times an unverifiable verdict is sent back for correction (default 2). */
      corrections: z.number().int().nonnegative().max(10),
    })
    .optional(),
});
export type ModelExecutorSettings = z.infer<typeof ModelExecutorSettings>;
