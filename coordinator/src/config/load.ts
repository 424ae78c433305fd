import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeIssue } from './describe-issue.js';
import { ConfigError } from './errors.js';
import { parseJsonText } from './json-text.js';
import { ProjectConfig } from './schema.js';

export const CONFIG_JSON = '.coordinate/config.json';
export const CONFIG_TS = 'coordinate.config.ts';

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
    result.error.issues.map((issue) => describeIssue(issue, input, ProjectConfig)),
  );
}

export interface LoadConfigOptions {
  /** Whether this Node can import TypeScript (type stripping); the running Node's own answer by default. */
  canImportTypeScript?: boolean;
}

/**
 * The project's settings with defaults filled in: `.coordinate/config.json`, or
 * `coordinate.config.ts` (its default export) on a Node that strips types, or the defaults alone.
 */
export async function loadConfig(repoRoot: string, options: LoadConfigOptions = {}): Promise<ProjectConfig> {
  const jsonFile = join(repoRoot, CONFIG_JSON);
  const tsFile = join(repoRoot, CONFIG_TS);
  const [hasJson, hasTs] = await Promise.all([exists(jsonFile), exists(tsFile)]);
  if (hasJson && hasTs) throw new ConfigError(CONFIG_TS, [`both ${CONFIG_JSON} and ${CONFIG_TS} exist; keep one of them`]);
  if (hasJson) {
    const parsed = parseJsonText(await readFile(jsonFile, 'utf8'));
    if ('error' in parsed) throw new ConfigError(CONFIG_JSON, [parsed.error]);
    return validateConfig(parsed.value, CONFIG_JSON);
  }
  if (hasTs) return validateConfig(await importTypeScriptConfig(tsFile, options), CONFIG_TS);
  return validateConfig({}, CONFIG_JSON);
}

async function importTypeScriptConfig(file: string, options: LoadConfigOptions): Promise<unknown> {
  const features = process.features as { typescript?: string | false };
  if (!(options.canImportTypeScript ?? Boolean(features.typescript))) {
    throw new ConfigError(CONFIG_TS, [
      `this Node (${process.version}) cannot load TypeScript config files; move the settings to ${CONFIG_JSON}, or use Node 22.18 or later`,
    ]);
  }
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (module.default === undefined) throw new ConfigError(CONFIG_TS, ['expected a default export with the settings (export default { … })']);
  return module.default;
}
