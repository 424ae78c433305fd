import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.js';
import { parseJsonText } from './json-text.js';
import { zodProblems } from '@coordinate/protocol';
import { ProjectConfig, type ProjectConfigInput } from './schema.js';

export const CONFIG_JSON = '.coordinate/config.json';
export const CONFIG_TS = 'coordinate.config.ts';
/** File names inside the person's config folder. */
export const USER_CONFIG_JSON = 'config.json';
export const USER_CONFIG_TS = 'coordinate.config.ts';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/** Validates settings read from `file` (named relative to the repository in messages). */
export function validateConfig(input: unknown, file: string): ProjectConfig {
  const result = ProjectConfig.safeParse(input);
  if (result.success) return result.data;
  throw new ConfigError(
    file,
    zodProblems(result.error).map((problem) => problem.text),
  );
}

export interface LoadConfigOptions {
  /** Whether this Node can import TypeScript (type stripping); the running Node's own answer by default. */
  canImportTypeScript?: boolean;
}

/** A repository's `.coordinate/config.json` as written (only the keys it sets), with its text for hashing. */
export interface RepoConfigFile {
  /** The file's exact text: a trust record is keyed by its hash. */
  text: string;
  /** The settings the file sets, validated; keys it leaves out stay absent. */
  input: ProjectConfigInput;
}

/** Reads and validates a JSON config file; undefined when there is none. */
async function readJsonConfig(file: string, shownAs: string): Promise<RepoConfigFile | undefined> {
  if (!(await exists(file))) return undefined;
  const text = await readFile(file, 'utf8');
  const parsed = parseJsonText(text);
  if ('error' in parsed) throw new ConfigError(shownAs, [parsed.error]);
  validateConfig(parsed.value, shownAs);
  return { text, input: parsed.value as ProjectConfigInput };
}

/**
 * The repository's `.coordinate/config.json`, validated but not applied: what it may change is
 * decided by `applyRepoConfig`. A `coordinate.config.ts` in the repository is never imported
 * (that would run the repository's code with the person's environment before any approval);
 * `repoHasTypeScriptConfig` lets the caller say so.
 */
export function loadRepoConfig(repoRoot: string): Promise<RepoConfigFile | undefined> {
  return readJsonConfig(join(repoRoot, CONFIG_JSON), CONFIG_JSON);
}

export const repoHasTypeScriptConfig = (repoRoot: string): Promise<boolean> => exists(join(repoRoot, CONFIG_TS));

/**
 * The person's own settings from their config folder: `config.json`, or `coordinate.config.ts`
 * (its default export) on a Node that strips types, or nothing. These are trusted as the
 * person's flags are; errors name the file by its full path.
 */
export async function loadUserConfig(dir: string, options: LoadConfigOptions = {}): Promise<ProjectConfigInput | undefined> {
  const jsonFile = join(dir, USER_CONFIG_JSON);
  const tsFile = join(dir, USER_CONFIG_TS);
  const [hasJson, hasTs] = await Promise.all([exists(jsonFile), exists(tsFile)]);
  if (hasJson && hasTs) throw new ConfigError(tsFile, [`both ${jsonFile} and ${tsFile} exist; keep one of them`]);
  if (hasJson) return (await readJsonConfig(jsonFile, jsonFile))!.input;
  if (!hasTs) return undefined;
  const value = await importTypeScriptConfig(tsFile, options);
  validateConfig(value, tsFile);
  return value as ProjectConfigInput;
}

async function importTypeScriptConfig(file: string, options: LoadConfigOptions): Promise<unknown> {
  const features = process.features as { typescript?: string | false };
  if (!(options.canImportTypeScript ?? Boolean(features.typescript))) {
    throw new ConfigError(file, [
      `this Node (${process.version}) cannot load TypeScript config files; move the settings to ${USER_CONFIG_JSON} beside it, or use Node 22.18 or later`,
    ]);
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (module.default === undefined) throw new ConfigError(file, ['needs a default export with the settings (export default { … })']);
  return module.default;
}
