import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyRepoConfig, ConfigError, loadUserConfig, mergeCliOptions, OptionError, resolveConfig, validateConfig } from './index.js';

/** The settings with the repository's config trusted (as with --trust-repo-config), under an empty home. */
const loadConfig = async (root: string) => (await resolveConfig({ repoRoot: root, env: { HOME: join(root, 'home') }, trustRepoConfig: true, isPriced: () => true })).config;

let repo: string;
beforeEach(async () => {
  repo = await mkdtemp(join(tmpdir(), 'coordinate-config-'));
});
afterEach(async () => {
  await rm(repo, { recursive: true, force: true });
});

async function writeConfig(text: string) {
  await mkdir(join(repo, '.coordinate'), { recursive: true });
  await writeFile(join(repo, '.coordinate', 'config.json'), text);
}

async function loadError(): Promise<ConfigError> {
  const error = await loadConfig(repo).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).code).toBe('invalid_config');
  return error as ConfigError;
}

describe('loadConfig', () => {
  it('gives the defaults when the repository has no config', async () => {
    const config = await loadConfig(repo);
    expect(config).toMatchObject({ workers: 4, maxAttempts: 3, fixRounds: 2, budgets: { maxTurns: 50 }, memory: { dreamEvery: 10, tokenBudget: 2000 } });
    expect(config.permissions).toEqual({ tools: { allow: [], deny: [] }, commands: { allow: [], deny: [] } });
  });

  it('reads every section of .coordinate/config.json and fills in what it leaves out', async () => {
    await writeConfig(
      JSON.stringify({
        models: { planner: 'big-model', verify: 'small-model' },
        workers: 8,
        budgets: { maxCostUsd: 2.5, maxTokens: 1_000_000, timeoutMs: 600_000 },
        fixRounds: 0,
        commands: { test: 'npm test', lint: 'npm run lint' },
        permissions: { commands: { allow: ['npm *'], deny: ['git push*'] } },
        pricing: { 'big-model': { input: 15, output: 75 } },
        memory: { dreamEvery: 3 },
      }),
    );
    const config = await loadConfig(repo);
    expect(config.models).toEqual({ planner: 'big-model', verify: 'small-model' });
    expect(config.budgets).toEqual({ maxCostUsd: 2.5, maxTokens: 1_000_000, timeoutMs: 600_000, maxTurns: 50 });
    expect(config.permissions.commands).toEqual({ allow: ['npm *'], deny: ['git push*'] });
    expect(config.permissions.tools).toEqual({ allow: [], deny: [] });
    // prices never come from a repository
    expect(config.pricing).toEqual({});
    expect(config.memory).toEqual({ dreamEvery: 3, tokenBudget: 2000 });
    expect(config.fixRounds).toBe(0);
  });

  it('names the file, the key, the expected value and the value found', async () => {
    await writeConfig('{ "workers": "four" }');
    expect((await loadError()).message).toBe('.coordinate/config.json: `workers`: must be a whole number from 1 to 64; got "four"');
  });

  it('names nested keys, including model names that need quoting', async () => {
    await writeConfig(JSON.stringify({ budgets: { maxCostUsd: -1 }, pricing: { 'claude-x': { input: 'cheap', output: 1 } } }));
    const { message } = await loadError();
    expect(message).toContain('.coordinate/config.json has 2 problems');
    expect(message).toContain('`budgets.maxCostUsd`: must be an amount in USD above 0; got -1');
    expect(message).toContain('`pricing["claude-x"].input`: must be a price in USD per million tokens (a number of 0 or more); got "cheap"');
  });

  it('gives the watcher quiet defaults: every 5m, 15s blocking budget, 5 interrupts a day, external actions off', async () => {
    const { watch } = await loadConfig(repo);
    expect(watch).toMatchObject({ every: '5m', blockingBudget: '15s', maxInterruptsPerDay: 5, dream: { minHours: 24, minRuns: 5 } });
    expect(watch.tiers.external).toMatchObject({ actions: 0, usd: 0, maxActions: 0 });
    expect(watch.tiers.edit.actions).toBeGreaterThan(0);
  });

  it('names a bad watch setting and the value it expects', async () => {
    await writeConfig(JSON.stringify({ watch: { every: 'often', tiers: { edit: { actions: -1, usd: 1 } } } }));
    const { problems } = await loadError();
    expect(problems.some((p) => p.startsWith('`watch.every`: must be a duration such as 5m'))).toBe(true);
    expect(problems.some((p) => p.startsWith('`watch.tiers.edit.actions`: must be a whole number from 0 to 10000; got -1'))).toBe(true);
  });

  it('rejects unknown keys by name and lists the known ones, so a typo is caught', async () => {
    await writeConfig(JSON.stringify({ wrokers: 2, budgets: { maxCost: 1 } }));
    const { problems } = await loadError();
    expect(problems).toContain('unknown key "wrokers" (known keys: $schema, models, workers, budgets, maxAttempts, fixRounds, commands, permissions, pricing, memory, watch, verify)');
    expect(problems).toContain('`budgets`: unknown key "maxCost" (known keys: maxCostUsd, maxTokens, timeoutMs, maxTurns)');
  });

  it('names the line and column of invalid JSON', async () => {
    await writeConfig('{\n  "workers": 2,\n  "fixRounds" 1\n}\n');
    expect((await loadError()).message).toMatch(/^\.coordinate\/config\.json: invalid JSON at line 3, column 15: /);
  });

  it('reports an empty file as invalid JSON at its end', async () => {
    await writeConfig('');
    expect((await loadError()).message).toMatch(/invalid JSON at line 1, column 1/);
  });

  it('explains how to move on when the person\'s coordinate.config.ts cannot be loaded by this Node', async () => {
    await writeFile(join(repo, 'coordinate.config.ts'), 'export default { workers: 2 };\n');
    const error = await loadUserConfig(repo, { canImportTypeScript: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/coordinate\.config\.ts: this Node .* move the settings to config\.json beside it/);
  });

  it('refuses two config files at once in the person\'s folder', async () => {
    await writeFile(join(repo, 'config.json'), '{}');
    await writeFile(join(repo, 'coordinate.config.ts'), 'export default {};\n');
    await expect(loadUserConfig(repo)).rejects.toThrow(/both .*config.json and .*coordinate.config.ts exist/);
  });
});

describe('applyRepoConfig', () => {
  const base = validateConfig({ workers: 4, budgets: { maxCostUsd: 5 }, permissions: { commands: { allow: ['npm test'] } } }, 'mine');
  const repoConfig = { workers: 16, budgets: { maxCostUsd: 1000, maxTokens: 10 }, permissions: { commands: { allow: ['*'], deny: ['git push*'] }, tools: { allow: ['write_file'] } }, commands: { test: 'sh evil.sh' } };

  it('untrusted, applies only what narrows and lists the rest', () => {
    const { config, widens } = applyRepoConfig(base, repoConfig, false, () => true);
    expect(config.workers).toBe(4);
    expect(config.budgets).toMatchObject({ maxCostUsd: 5, maxTokens: 10 });
    expect(config.permissions.commands).toEqual({ allow: ['npm test'], deny: ['git push*'] });
    expect(config.permissions.tools.allow).toEqual([]);
    // The project's test command is what verification must prove; it runs sandboxed under the policy above.
    expect(config.commands.test).toBe('sh evil.sh');
    expect(widens).toEqual([
      'workers: 16 (yours: 4)',
      'budgets.maxCostUsd: 1000 (yours: 5)',
      'permissions.tools.allow: "write_file"',
      'permissions.commands.allow: "*"',
    ]);
  });

  it('trusted, applies all of it but prices', () => {
    const { config, ignored } = applyRepoConfig(base, { ...repoConfig, pricing: { m: { input: 0, output: 0 } } }, true, () => true);
    expect(config).toMatchObject({ workers: 16, budgets: { maxCostUsd: 1000 }, commands: { test: 'sh evil.sh' }, pricing: {} });
    expect(config.permissions.commands.allow).toEqual(['npm test', '*']);
    expect(ignored[0]).toMatch(/^pricing of "m"/);
  });

  it('lets untrusted config lower the watcher\'s autonomy but not raise it; other watch settings apply as given', () => {
    const watch = { every: '1m', tiers: { edit: { actions: 1, usd: 2 }, external: { actions: 5, usd: 1, maxActions: 5 }, record: { actions: 1000, usd: 1, minActions: 20 } } };
    const untrusted = applyRepoConfig(base, { watch }, false, () => true);
    expect(untrusted.config.watch.every).toBe('1m');
    expect(untrusted.config.watch.tiers.edit).toEqual({ ...base.watch.tiers.edit, actions: 1 });
    expect(untrusted.config.watch.tiers.external).toEqual(base.watch.tiers.external);
    expect(untrusted.config.watch.tiers.record).toEqual(base.watch.tiers.record);
    expect(untrusted.widens).toEqual([
      'watch.tiers.external.actions: 5 (yours: 0)',
      'watch.tiers.external.usd: 1 (yours: 0)',
      'watch.tiers.external.maxActions: 5 (yours: 0)',
      'watch.tiers.record.minActions: 20 (yours: 0)',
    ]);
    const trusted = applyRepoConfig(base, { watch }, true, () => true);
    expect(trusted.config.watch.tiers.external).toMatchObject({ actions: 5, usd: 1, maxActions: 5 });
    expect(trusted.config.watch.tiers.record.minActions).toBe(20);
  });
});

describe('mergeCliOptions', () => {
  it('lays command-line options over the config', async () => {
    await writeConfig(JSON.stringify({ workers: 2, models: { planner: 'p' }, budgets: { maxCostUsd: 5 } }));
    const settings = mergeCliOptions(await loadConfig(repo), { workers: '6', model: 'm', maxCost: '1.5', maxTokens: '20000', timeout: '30m' });
    expect(settings.workers).toBe(6);
    expect(settings.models).toEqual({ planner: 'm', research: 'm', implement: 'm', verify: 'm' });
    expect(settings.budgets).toEqual({ maxCostUsd: 1.5, maxTokens: 20_000, timeoutMs: 1_800_000, maxTurns: 50 });
    expect(settings).not.toHaveProperty('$schema');
  });

  it('keeps the config where the command line says nothing', async () => {
    await writeConfig(JSON.stringify({ workers: 2, budgets: { timeoutMs: 5000 } }));
    const config = await loadConfig(repo);
    expect(mergeCliOptions(config, {})).toMatchObject({ workers: 2, budgets: { timeoutMs: 5000 } });
  });

  it('reads durations with units, and a bare number as seconds', async () => {
    const config = await loadConfig(repo);
    expect(mergeCliOptions(config, { timeout: '90' }).budgets.timeoutMs).toBe(90_000);
    expect(mergeCliOptions(config, { timeout: '2h' }).budgets.timeoutMs).toBe(7_200_000);
  });

  it('names the option and the expected value for a bad one', async () => {
    const config = await loadConfig(repo);
    const attempt = (cli: Parameters<typeof mergeCliOptions>[1]) => {
      try {
        mergeCliOptions(config, cli);
      } catch (error) {
        expect(error).toBeInstanceOf(OptionError);
        return (error as Error).message;
      }
      throw new Error('expected the option to be rejected');
    };
    expect(attempt({ workers: 'four' })).toBe('--workers: must be a whole number from 1 to 64; got "four"');
    expect(attempt({ workers: '0' })).toBe('--workers: takes 0 only with --host (or --port): the plan then runs on workers started elsewhere with `coordinate worker --url`');
    expect(attempt({ maxCost: 'lots' })).toBe('--max-cost: must be an amount in USD above 0; got "lots"');
    expect(attempt({ timeout: 'soon' })).toMatch(/^--timeout: must be a duration .*; got "soon"$/);
    expect(attempt({ model: '' })).toBe('--model: must be a model name (text, not empty); got ""');
  });
});
