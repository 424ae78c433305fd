import { z } from 'zod';

const wholeNumber = (min: number, max: number) =>
  z.number({ error: `expected a whole number from ${min} to ${max}` }).int().min(min).max(max);
const positiveNumber = (what: string) => z.number({ error: `expected ${what} above 0` }).positive();
const price = z.number({ error: 'expected a price in USD per million tokens (a number of 0 or more)' }).nonnegative();
const nonEmptyText = (what: string) => z.string({ error: `expected ${what} (a non-empty string)` }).min(1);
const patterns = z.array(nonEmptyText('a pattern'), { error: 'expected a list of patterns, e.g. ["npm test", "git *"]' });

export const ModelRole = z.enum(['planner', 'research', 'implement', 'verify']);
export type ModelRole = z.infer<typeof ModelRole>;

/** Model names per role; a role left out uses the built-in default for it. */
export const ModelsConfig = z.strictObject({
  planner: nonEmptyText('a model name').optional(),
  research: nonEmptyText('a model name').optional(),
  implement: nonEmptyText('a model name').optional(),
  verify: nonEmptyText('a model name').optional(),
});

export const BudgetsConfig = z.strictObject({
  maxCostUsd: positiveNumber('an amount in USD').optional(),
  maxTokens: wholeNumber(1, 1e12).optional(),
  timeoutMs: wholeNumber(1000, 7 * 24 * 3600 * 1000).optional(),
  /** Model turns one task may take before it fails with that reason. */
  maxTurns: wholeNumber(1, 1000).default(50),
});

/** USD per million tokens. Cache prices default to the usual ratios of the input price (1.25× to write, 0.1× to read). */
export const ModelPrice = z.strictObject({
  input: price,
  output: price,
  cacheWrite: price.optional(),
  cacheRead: price.optional(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

const AllowDeny = z.strictObject({ allow: patterns.default([]), deny: patterns.default([]) });

export const PermissionsConfig = z.strictObject({
  /** Tool names, e.g. "run_command". */
  tools: AllowDeny.prefault({}),
  /** Command patterns for run_command, e.g. "npm test", "git *". */
  commands: AllowDeny.prefault({}),
});

export const CommandsConfig = z.strictObject({
  test: nonEmptyText('a command').optional(),
  lint: nonEmptyText('a command').optional(),
  build: nonEmptyText('a command').optional(),
});

export const VerifyConfig = z.strictObject({
  /** Times a verdict whose evidence cannot be verified is sent back to the verifier to correct. */
  corrections: wholeNumber(0, 10).default(2),
});

export const MemoryConfig = z.strictObject({
  /** Consolidate team memory after every N runs. */
  dreamEvery: wholeNumber(1, 1000).default(10),
  /** Tokens of memory injected into one prompt at most. */
  tokenBudget: wholeNumber(0, 100_000).default(2000),
});

/** `.coordinate/config.json`: every key is optional; unknown keys are errors, so a typo never goes unnoticed. */
export const ProjectConfig = z.strictObject({
  $schema: z.string().optional(),
  models: ModelsConfig.prefault({}),
  workers: wholeNumber(1, 64).default(4),
  budgets: BudgetsConfig.prefault({}),
  /** Times a task is handed out before it counts as failed. */
  maxAttempts: wholeNumber(1, 10).default(3),
  /** Fix → re-verify rounds after a failed verification. */
  fixRounds: wholeNumber(0, 10).default(2),
  commands: CommandsConfig.prefault({}),
  permissions: PermissionsConfig.prefault({}),
  pricing: z.record(nonEmptyText('a model name'), ModelPrice, { error: 'expected an object of model name → prices' }).prefault({}),
  memory: MemoryConfig.prefault({}),
  verify: VerifyConfig.prefault({}),
});
export type ProjectConfig = z.output<typeof ProjectConfig>;
export type ProjectConfigInput = z.input<typeof ProjectConfig>;
