import { DEFAULT_MODELS, DEFAULT_PRICES, type ModelRole } from '@coordinate/model';
import { ToolPolicy, zodProblems, type PriceTable } from '@coordinate/protocol';
import { describeConfigInForce } from '../approval/config-in-force.js';
import { humanStream, type CliContext } from '../cli/context.js';
import { ConfigError, mergeCliOptions, resolveConfig, type CliSettings, type ConfigInForce, type EffectiveSettings } from '../config/index.js';

/**
 * The settings in force (defaults, the person's config folder, the repository's config as far
 * as it may go) with the command line laid over them; errors name the file or option.
 * `trustRepoConfig` is `--trust-repo-config`.
 */
export async function loadSettings(
  repoRoot: string,
  cli: CliSettings & { trustRepoConfig?: boolean },
  env: NodeJS.ProcessEnv,
): Promise<{ settings: EffectiveSettings; inForce: ConfigInForce }> {
  const inForce = await resolveConfig({
    repoRoot,
    env,
    ...(cli.trustRepoConfig ? { trustRepoConfig: true } : {}),
    isPriced: (model, personal) => priceTable(personal)[model] !== undefined,
  });
  return { settings: mergeCliOptions(inForce.config, cli), inForce };
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
export function priceTable(settings: Pick<EffectiveSettings, 'pricing'>): PriceTable {
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
    zodProblems(parsed.error, ['permissions']).map((problem) => problem.text),
  );
}

/** Prints, before any plan is shown or run, the config in force and what the repository's config widens. */
export function showConfigInForce(context: CliContext, flags: { json?: boolean | undefined }, inForce: ConfigInForce): void {
  const out = humanStream(context, flags.json);
  for (const line of describeConfigInForce(inForce)) out.write(`${line}\n`);
}
