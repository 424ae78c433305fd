/** Names that mark a credential, and prefixes of variables that belong to coordinate or the model. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD/i;
const PRIVATE_PREFIXES = ['ANTHROPIC_', 'COORDINATE_'];

/** Variables carried over from the worker's environment when it has them: what tools need to be found and to write temp files. */
const PASSED_THROUGH = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'USER', 'LOGNAME'];

export const isSecretVariable = (name: string): boolean =>
  SECRET_NAME.test(name) || PRIVATE_PREFIXES.some((prefix) => name.toUpperCase().startsWith(prefix));

/**
 * The whole environment a command gets: PATH, HOME, LANG and a few more from `processEnv`,
 * TERM=dumb and CI=1 (plain, non-interactive output), then `extra`. A variable whose name
 * looks like a credential is dropped wherever it comes from.
 */
export function safeCommandEnv(processEnv: NodeJS.ProcessEnv, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = processEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.LANG ??= 'C.UTF-8';
  Object.assign(env, { TERM: 'dumb', CI: '1', NO_COLOR: '1' }, extra);
  return withoutSecrets(env);
}

export function withoutSecrets(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isSecretVariable(name)));
}
