import type { z } from 'zod';
import { zodProblems } from '@coordinate/protocol';
import { OptionError } from './errors.js';
import { BudgetsConfig, ProjectConfig } from './schema.js';

/** The options of the command line that change settings; values arrive as commander gives them. */
export interface CliSettings {
  workers?: string | number;
  /** With --host or --port: workers started elsewhere may join, so `--workers 0` (no local worker at all) makes sense. */
  remoteWorkers?: boolean;
  /** One model for every role (planner and workers). */
  model?: string;
  maxCost?: string | number;
  maxTokens?: string | number;
  /** A duration: "90s", "30m", "2h", "500ms"; a bare number is seconds. */
  timeout?: string | number;
}

/** What a run uses: the project config with the command line laid over it. */
export type EffectiveSettings = Omit<ProjectConfig, '$schema'>;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDurationMs(value: string | number): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(String(value));
  return match ? Math.round(Number(match[1]) * UNITS[match[2] ?? 's']!) : undefined;
}

const asNumber = (value: string | number) => (typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);

function checked<T>(option: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new OptionError(option, zodProblems(result.error)[0]!.message);
}

export function mergeCliOptions(config: ProjectConfig, cli: CliSettings): EffectiveSettings {
  const { $schema: _ignored, ...settings } = config;
  const budgets = { ...settings.budgets };
  if (cli.maxCost !== undefined) budgets.maxCostUsd = checked('--max-cost', BudgetsConfig.shape.maxCostUsd, asNumber(cli.maxCost));
  if (cli.maxTokens !== undefined) budgets.maxTokens = checked('--max-tokens', BudgetsConfig.shape.maxTokens, asNumber(cli.maxTokens));
  if (cli.timeout !== undefined) {
    const ms = parseDurationMs(cli.timeout);
    if (ms === undefined || !BudgetsConfig.shape.timeoutMs.safeParse(ms).success) {
      throw new OptionError('--timeout', `must be a duration from 1s to 7 days such as 90s, 30m or 2h; got ${JSON.stringify(cli.timeout)}`);
    }
    budgets.timeoutMs = ms;
  }
  const models =
    cli.model === undefined
      ? settings.models
      : checked('--model', ProjectConfig.shape.models, { planner: cli.model, research: cli.model, implement: cli.model, verify: cli.model });
  const workers = cli.workers === undefined ? settings.workers : workersOf(cli.workers, cli.remoteWorkers ?? false);
  return { ...settings, models, workers, budgets };
}

/** `--workers`: 1 to 64 local worker processes, or 0 when only workers started elsewhere are to run the plan. */
function workersOf(raw: string | number, remoteWorkers: boolean): number {
  if (asNumber(raw) !== 0) return checked('--workers', ProjectConfig.shape.workers, asNumber(raw));
  if (remoteWorkers) return 0;
  throw new OptionError('--workers', 'takes 0 only with --host (or --port): the plan then runs on workers started elsewhere with `coordinate worker --url`');
}
