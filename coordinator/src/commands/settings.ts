import { DEFAULT_MODELS, DEFAULT_PRICES, type ModelRole, type PriceTable } from '@coordinate/model';
import { ToolPolicy } from '@coordinate/tools';
import { ConfigError, loadConfig, mergeCliOptions, type CliSettings, type EffectiveSettings } from '../config/index.js';

/** The project config with the command line laid over it; errors name the file or option. */
export async function loadSettings(repoRoot: string, cli: CliSettings): Promise<EffectiveSettings> {
  return mergeCliOptions(await loadConfig(repoRoot), cli);
}

/** The model of each role: the configured one, else the built-in default. */
export function roleModels(settings: EffectiveSettings): Record<ModelRole, string> {
  const { models } = settings;
  return {
    planner: models.planner ?? DEFAULT_MODELS.planner,
    research: models.research ?? DEFAULT_MODELS.research,
    implement: models.implement ?? DEFAULT_MODELS.implement,
    verify: models.verify ?? DEFAULT_MODELS.verify,
  };
}

/** The built-in prices with the project's own laid over them; cache prices default to the usual ratios of the input price. */
export function priceTable(settings: EffectiveSettings): PriceTable {
  const table: PriceTable = { ...DEFAULT_PRICES };
  for (const [model, price] of Object.entries(settings.pricing)) {
    table[model] = { input: price.input, output: price.output, cacheWrite: price.cacheWrite ?? price.input * 1.25, cacheRead: price.cacheRead ?? price.input * 0.1 };
  }
  return table;
}

/** The project's permissions as the workers' tool policy; a tool name the tools do not know is a config error naming it. */
export function toolPolicy(settings: EffectiveSettings): ToolPolicy {
  const { tools, commands } = settings.permissions;
  const parsed = ToolPolicy.safeParse({ tools, commands });
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    'the project config',
    parsed.error.issues.map((issue) => `permissions.${issue.path.join('.')}: ${issue.message}`),
  );
}
