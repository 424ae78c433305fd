import { WatchConfig, type ProjectConfig, type ProjectConfigInput, type TierBudgetConfig } from './schema.js';

/** What a repository's config did to the person's settings. */
export interface RepoConfigEffect {
  /** The settings in force. */
  config: ProjectConfig;
  /** Each setting of the file that allows more than the person's own, e.g. `workers: 16 (yours: 4)`. */
  widens: string[];
  /** Settings a repository can never set (prices), whether trusted or not. */
  ignored: string[];
}

type Limit = number | undefined;

/** For limits where a larger number (or none at all) allows more. */
const widensLimit = (mine: Limit, theirs: Limit): boolean => theirs !== undefined && mine !== undefined && theirs > mine;
const narrower = (mine: Limit, theirs: Limit): Limit => (theirs === undefined ? mine : mine === undefined ? theirs : Math.min(mine, theirs));
const shown = (value: unknown) => JSON.stringify(value);

/**
 * Lays a repository's config over the person's settings (built-in defaults, their config
 * folder). Untrusted, it may only narrow: smaller limits and budgets, more denied tools and
 * commands, the project's own commands (what verification must prove), memory settings.
 * Anything that would allow more (a larger limit or budget, the watcher's autonomy included, an
 * allowed tool or command, a model without a known price)
 * applies only when `trusted`; either way it is listed in `widens`, so the approval screen can
 * say what the file changed. Prices never come from a repository: `--max-cost` must not be
 * disarmed by a price of zero.
 */
export function applyRepoConfig(base: ProjectConfig, repo: ProjectConfigInput, trusted: boolean, isPriced: (model: string) => boolean): RepoConfigEffect {
  const widens: string[] = [];
  const ignored = repo.pricing && Object.keys(repo.pricing).length > 0 ? [`pricing of ${Object.keys(repo.pricing).map(shown).join(', ')}: prices come only from the built-in table or your own config`] : [];
  const config: ProjectConfig = structuredClone(base);

  const limit = (name: string, mine: Limit, theirs: Limit, set: (value: Limit) => void) => {
    if (theirs === undefined) return;
    if (widensLimit(mine, theirs)) {
      widens.push(`${name}: ${theirs} (yours: ${mine})`);
      if (trusted) set(theirs);
      return;
    }
    set(narrower(mine, theirs));
  };
  limit('workers', base.workers, repo.workers, (v) => (config.workers = v ?? base.workers));
  limit('maxAttempts', base.maxAttempts, repo.maxAttempts, (v) => (config.maxAttempts = v ?? base.maxAttempts));
  limit('fixRounds', base.fixRounds, repo.fixRounds, (v) => (config.fixRounds = v ?? base.fixRounds));
  const budgets = repo.budgets ?? {};
  for (const key of ['maxCostUsd', 'maxTokens', 'timeoutMs'] as const) {
    limit(`budgets.${key}`, base.budgets[key], budgets[key], (v) => {
      if (v === undefined) delete config.budgets[key];
      else config.budgets[key] = v;
    });
  }
  limit('budgets.maxTurns', base.budgets.maxTurns, budgets.maxTurns, (v) => (config.budgets.maxTurns = v ?? base.budgets.maxTurns));

  for (const kind of ['tools', 'commands'] as const) {
    const theirs = repo.permissions?.[kind] ?? {};
    config.permissions[kind].deny = [...new Set([...base.permissions[kind].deny, ...(theirs.deny ?? [])])];
    const added = (theirs.allow ?? []).filter((pattern) => !base.permissions[kind].allow.includes(pattern));
    if (added.length === 0) continue;
    widens.push(`permissions.${kind}.allow: ${added.map(shown).join(', ')}`);
    if (trusted) config.permissions[kind].allow = [...base.permissions[kind].allow, ...added];
  }

  // The project's own commands only add what verification must prove and what the watcher checks;
  // they run inside the OS sandbox under the run's command policy, like any command a plan names.
  for (const [name, command] of Object.entries(repo.commands ?? {}) as [keyof ProjectConfig['commands'], string | undefined][]) {
    if (command !== undefined) config.commands[name] = command;
  }

  for (const [role, model] of Object.entries(repo.models ?? {}) as [keyof ProjectConfig['models'], string | undefined][]) {
    if (model === undefined || model === base.models[role]) continue;
    if (isPriced(model) || trusted) config.models[role] = model;
    if (!isPriced(model)) widens.push(`models.${role}: ${shown(model)} (no known price, so budgets cannot hold it)`);
  }

  // The watcher's settings apply as the file gives them, except its autonomy: a tier's daily budgets
  // and bounds only narrow unless trusted, like every other budget. The hard ceilings (no merge, no
  // push to a default or foreign branch, no force-push, external actions only proposed) hold in code.
  if (repo.watch) {
    const watch = WatchConfig.parse(repo.watch);
    for (const key of Object.keys(repo.watch) as (keyof WatchConfig)[]) if (key !== 'tiers') Object.assign(config.watch, { [key]: watch[key] });
    for (const [tier, given] of Object.entries(repo.watch.tiers ?? {}) as [keyof WatchConfig['tiers'], object | undefined][]) {
      // Only the fields the file sets: a default filled in by parsing is not the file's wish.
      for (const field of Object.keys(given ?? {}) as (keyof TierBudgetConfig)[]) {
        const mine = base.watch.tiers[tier][field];
        limit(`watch.tiers.${tier}.${field}`, mine, watch.tiers[tier][field], (v) => (config.watch.tiers[tier][field] = v ?? mine));
      }
    }
  }
  if (repo.memory?.dreamEvery !== undefined) config.memory.dreamEvery = repo.memory.dreamEvery;
  if (repo.memory?.tokenBudget !== undefined) config.memory.tokenBudget = repo.memory.tokenBudget;
  return { config, widens, ignored };
}
