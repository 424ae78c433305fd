import { z } from 'zod';
import { PriceTable } from '@coordinate/model';
import { ToolPolicy } from '@coordinate/tools';
import { formatZodError } from '@coordinate/protocol';
import { InvalidSettingsError } from './deterministic.js';

const positiveInt = z.number().int().positive();

/**
 * What the coordinator tells the model executor about one task, in `context.settings.model`.
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

/** Validates `context.settings.model`, naming the first bad field. */
export function readModelSettings(raw: unknown): ModelExecutorSettings {
  const parsed = ModelExecutorSettings.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  throw new InvalidSettingsError(formatZodError(parsed.error, { max: 1, at: ['settings', 'model'] }));
}
