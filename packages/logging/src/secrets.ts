import { detectSecrets } from './detect-secrets.js';

/** Variables that hold credentials whatever their value looks like. */
const KNOWN_SECRET_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'COORDINATE_TOKEN', 'GITHUB_TOKEN'];
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|PRIVATE|COOKIE|SESSION|DSN|DATABASE_URL/i;
/** Shorter values (flags such as "1" or "true") would blank out ordinary words everywhere. */
const MIN_SECRET_LENGTH = 8;

/** The values in `env` that must never be written to a log, transcript or report. */
export function collectSecrets(env: NodeJS.ProcessEnv): string[] {
  const secrets = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    // Any variable whose value the detector recognises counts too, whatever its name.
    if (KNOWN_SECRET_VARIABLES.includes(name) || SECRET_NAME.test(name) || detectSecrets(value).length > 0) secrets.add(value);
  }
  return [...secrets];
}
