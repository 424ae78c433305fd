import { join } from 'node:path';

/**
 * The person's own config folder: `$XDG_CONFIG_HOME/coordinate`, else `~/.config/coordinate`.
 * It holds what only the person decides (settings, prices, trust records, config as code),
 * never anything a repository ships.
 */
export function userConfigDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(env.HOME ?? '/nonexistent', '.config');
  return join(base, 'coordinate');
}
