import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerStartError } from './errors.js';

/** The worker program (worker/dist/main.js), found through the @coordinate/worker package. */
export function workerEntryPath(): string {
  const index = fileURLToPath(import.meta.resolve('@coordinate/worker'));
  const entry = join(dirname(index), 'main.js');
  if (!existsSync(entry)) throw new WorkerStartError(`the worker program is missing at ${entry}: build the workspace first (npm run build)`, { entry });
  return entry;
}
