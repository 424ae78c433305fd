import { join } from 'node:path';
import { collectSecrets, createLogger, type Logger } from '@coordinate/logging';
import type { RunPaths } from './layout.js';

/** The run's `logs/coordinator.log`, with the run token and every secret the workers get redacted. */
export function createCoordinatorLogger(paths: RunPaths, token: string, workerEnv: Record<string, string> = {}): Logger {
  return createLogger({
    file: join(paths.logs, 'coordinator.log'),
    name: 'coordinator',
    secrets: [token, ...collectSecrets(process.env), ...collectSecrets(workerEnv)],
  });
}
