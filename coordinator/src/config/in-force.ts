import { realpath } from 'node:fs/promises';
import { CONFIG_JSON, CONFIG_TS, loadRepoConfig, loadUserConfig, repoHasTypeScriptConfig, validateConfig } from './load.js';
import { applyRepoConfig } from './narrow.js';
import type { ProjectConfig } from './schema.js';
import { contentHash, isTrusted } from './trust-store.js';
import { userConfigDir } from './user-folder.js';

/** The repository's config file and what became of it. */
export interface RepoConfigStatus {
  file: typeof CONFIG_JSON;
  sha256: string;
  /** `record`: the person ran `coordinate trust` on this exact text; `flag`: `--trust-repo-config`. */
  trustedBy?: 'record' | 'flag';
  /** What the file allows beyond the person's own settings (applied only when trusted). */
  widens: string[];
  /** What a repository can never set. */
  ignored: string[];
}

/** The settings a command uses, and where they came from, for the approval screen and `coordinate trust`. */
export interface ConfigInForce {
  config: ProjectConfig;
  repoConfig?: RepoConfigStatus;
  /** Things the person should know, e.g. a repository `coordinate.config.ts` that was not loaded. */
  notices: string[];
}

export interface ResolveConfigOptions {
  repoRoot: string;
  env: NodeJS.ProcessEnv;
  /** `--trust-repo-config`: trust the repository's config as it is (CI). */
  trustRepoConfig?: boolean;
  /** Whether a model has a price in the built-in table or the person's config. */
  isPriced: (model: string, personal: ProjectConfig) => boolean;
}

/**
 * Settings in force: built-in defaults, then the person's config folder, then the repository's
 * `.coordinate/config.json`, which narrows only unless the person trusts that exact text.
 */
export async function resolveConfig(options: ResolveConfigOptions): Promise<ConfigInForce> {
  const dir = userConfigDir(options.env);
  const personal = validateConfig((await loadUserConfig(dir)) ?? {}, dir);
  const notices = (await repoHasTypeScriptConfig(options.repoRoot))
    ? [`${CONFIG_TS} in the repository is not loaded: repository code never runs as config. Put settings in ${CONFIG_JSON}, or your own in ${dir}/`]
    : [];
  const file = await loadRepoConfig(options.repoRoot);
  if (!file) return { config: personal, notices };
  const sha256 = contentHash(file.text);
  const trustedBy = options.trustRepoConfig ? 'flag' : (await isTrusted(dir, await realpath(options.repoRoot), sha256)) ? 'record' : undefined;
  const effect = applyRepoConfig(personal, file.input, trustedBy !== undefined, (model) => options.isPriced(model, personal));
  return {
    config: effect.config,
    repoConfig: { file: CONFIG_JSON, sha256, ...(trustedBy ? { trustedBy } : {}), widens: effect.widens, ignored: effect.ignored },
    notices,
  };
}
