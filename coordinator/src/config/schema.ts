import { z } from 'zod';
import { MaxAttempts, shownValue } from '@coordinate/protocol';

/** A schema's own message for every problem it finds: what the key takes, in the file's terms, then the value found. */
const must = (takes: string) => (issue: { input: unknown }) => `must be ${takes}; got ${issue.input === undefined ? 'nothing' : shownValue(issue.input)}`;

const wholeNumber = (min: number, max: number) => z.number({ error: must(`a whole number from ${min} to ${max}`) }).int().min(min).max(max);
const positiveNumber = (what: string) => z.number({ error: must(`${what} above 0`) }).positive();
const price = z.number({ error: must('a price in USD per million tokens (a number of 0 or more)') }).nonnegative();
const nonEmptyText = (what: string) => z.string({ error: must(`${what} (text, not empty)`) }).min(1);
const patterns = z.array(nonEmptyText('a pattern'), { error: must('a list of patterns, e.g. ["npm test", "git *"]') });

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
  /** A fast check run on the run branch after every merge; a merge that breaks it is taken back and its task reopened. */
  check: nonEmptyText('a command').optional(),
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

const duration = (example: string) =>
  z
    .string({ error: must(`a duration such as ${example} (units ms, s, m, h)`) })
    .regex(/^\s*\d+(\.\d+)?\s*(ms|s|m|h)?\s*$/);

/** One risk tier's daily allowance: actions and dollars, and the bounds earned autonomy moves the action count within. */
export const TierBudgetConfig = z.strictObject({
  actions: wholeNumber(0, 10_000),
  usd: z.number({ error: must('an amount in USD (0 or more)') }).nonnegative(),
  minActions: wholeNumber(0, 10_000).default(0),
  maxActions: wholeNumber(0, 10_000).default(10),
});
export type TierBudgetConfig = z.infer<typeof TierBudgetConfig>;

const tier = (actions: number, usd: number, maxActions: number) => TierBudgetConfig.prefault({ actions, usd, maxActions });

/** `coordinate watch`: what it watches, how often, how loudly, and how much it may do on its own each day. */
export const WatchConfig = z.strictObject({
  /** Time between ticks; `--every` wins. */
  every: duration('5m').default('5m'),
  /** Branches whose new commits are checked; empty means the current and the default branch. */
  branches: z.array(nonEmptyText('a branch name')).default([]),
  /** GitHub logins whose open pull requests are watched; empty means every open pull request. */
  authors: z.array(nonEmptyText('a GitHub login')).default([]),
  /** "owner/name" on GitHub; by default read from the `origin` remote. */
  githubRepo: z.string({ error: must('"owner/name"') }).regex(/^[\w.-]+\/[\w.-]+$/).optional(),
  /** Time the project's commands on new commits may take in one tick; past it they are killed and the check counts as failed. */
  checkBudget: duration('10m').default('10m'),
  /** An action that takes longer moves to the background as a normal run, and the tick returns. */
  blockingBudget: duration('15s').default('15s'),
  /** `now` notices a day; the rest go to the digest. */
  maxInterruptsPerDay: wholeNumber(0, 1000).default(5),
  /** Memory is consolidated when both have passed since the last time, and no run is under way. */
  dream: z.strictObject({ minHours: z.number().nonnegative().default(24), minRuns: wholeNumber(0, 10_000).default(5) }).prefault({}),
  /** Daily budgets per risk tier. External actions (push, comment, pull request) are off by default. */
  tiers: z
    .strictObject({
      observe: tier(1000, 1, 1000),
      record: tier(1000, 1, 1000),
      edit: tier(3, 2, 10),
      execute: tier(3, 2, 10),
      external: tier(0, 0, 0),
    })
    .prefault({}),
});
export type WatchConfig = z.output<typeof WatchConfig>;

/** `.coordinate/config.json`: every key is optional; unknown keys are errors, so a typo never goes unnoticed. */
export const ProjectConfig = z.strictObject({
  $schema: z.string().optional(),
  models: ModelsConfig.prefault({}),
  workers: wholeNumber(1, 64).default(4),
  budgets: BudgetsConfig.prefault({}),
  /** Times a task is handed out before it counts as failed. */
  maxAttempts: MaxAttempts,
  /** Fix → re-verify rounds after a failed verification. */
  fixRounds: wholeNumber(0, 10).default(2),
  commands: CommandsConfig.prefault({}),
  permissions: PermissionsConfig.prefault({}),
  pricing: z.record(nonEmptyText('a model name'), ModelPrice, { error: (issue) => (issue.code === 'invalid_type' ? must('an object of model name → prices')(issue) : undefined) }).prefault({}),
  memory: MemoryConfig.prefault({}),
  watch: WatchConfig.prefault({}),
  verify: VerifyConfig.prefault({}),
});
export type ProjectConfig = z.output<typeof ProjectConfig>;
export type ProjectConfigInput = z.input<typeof ProjectConfig>;
