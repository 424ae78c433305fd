export {
  ProjectConfig,
  ModelRole,
  ModelPrice,
  ModelsConfig,
  BudgetsConfig,
  PermissionsConfig,
  CommandsConfig,
  MemoryConfig,
  WatchConfig,
  TierBudgetConfig,
  type ProjectConfigInput,
} from './schema.js';
export { loadConfig, validateConfig, CONFIG_JSON, CONFIG_TS, type LoadConfigOptions } from './load.js';
export { mergeCliOptions, parseDurationMs, type CliSettings, type EffectiveSettings } from './merge.js';
export { ConfigError, OptionError } from './errors.js';
