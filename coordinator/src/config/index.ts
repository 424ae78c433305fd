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
export { loadRepoConfig, loadUserConfig, validateConfig, CONFIG_JSON, CONFIG_TS, type LoadConfigOptions, type RepoConfigFile } from './load.js';
export { applyRepoConfig, type RepoConfigEffect } from './narrow.js';
export { resolveConfig, type ConfigInForce, type RepoConfigStatus, type ResolveConfigOptions } from './in-force.js';
export { contentHash, isTrusted, recordTrust } from './trust-store.js';
export { userConfigDir } from './user-folder.js';
export { mergeCliOptions, parseDurationMs, type CliSettings, type EffectiveSettings } from './merge.js';
export { ConfigError, OptionError } from './errors.js';
