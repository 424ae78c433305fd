import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerStartError } from './errors.js';

/**
 * The worker program, found through the @coordinate/worker package: its single-file build
 * (worker/dist/worker-bundle.js), which a new process loads in a third of the time of the
 * separate modules.
 */
export function workerEntryPath(): string {
  const index = fileURLToPath(import.meta.resolve('@coordinate/worker'));
  const entry = join(dirname(index), 'worker-bundle.js');
  if (!existsSync(entry)) throw new WorkerStartError(`the worker program is missing at ${entry}: build the workspace first (npm run build)`, { entry });
  return entry;
}
