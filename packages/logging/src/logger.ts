import pino, { type Level, type Logger } from 'pino';
import { createRedactor, REDACTED } from './redact.js';

export type { Logger, Level } from 'pino';

export interface LoggerOptions {
  /** The JSON Lines file to append to; its folder is created. */
  file: string;
  /** Written as `name` on every line (for example "coordinator" or a worker id). */
  name: string;
  /** Values that must never reach the file, typically `collectSecrets(process.env)`. */
  secrets?: string[];
  level?: Level;
}

const SENSITIVE_FIELDS = ['authorization', 'x-api-key', 'apiKey', 'api_key', 'token', 'password', 'secret', 'cookie'];

/** Each field at the top, one level down, and inside any `headers` two levels down. */
const REDACT_PATHS = SENSITIVE_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const child = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${child}`, `*.headers${child}`, `*.*.headers${child}`];
});

type Destination = ReturnType<typeof pino.destination>;
const destinations = new WeakMap<Logger, Destination>();

/**
 * A pino logger that appends JSON lines to `file`. Sensitive fields are censored by path, and
 * every finished line then passes through the redactor, so a secret cannot reach the file even
 * inside a message, a nested value or an error's stack. Writes are synchronous: a process that
 * exits (or crashes) right after logging keeps its last lines.
 */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const destination = pino.destination({ dest: options.file, mkdir: true, sync: true });
  const logger = pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: { streamWrite: redact },
    },
    destination,
  );
  destinations.set(logger, destination);
  return logger;
}

/** Flushes what the logger still holds and closes its file. Later log calls are dropped. */
export async function closeLogger(logger: Logger): Promise<void> {
  const destination = destinations.get(logger);
  if (!destination) return;
  destinations.delete(logger);
  await new Promise<void>((resolve, reject) => {
    logger.flush((error) => (error ? reject(error) : resolve()));
  });
  await new Promise<void>((resolve) => {
    destination.once('close', () => resolve());
    destination.end();
  });
}
