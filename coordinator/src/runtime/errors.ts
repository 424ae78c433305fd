import { z } from 'zod';
import { CoordinateError, defineError } from '@coordinate/protocol';

/** runPlan or executeRun was called with options it cannot run (bad worker count, tasks that fail the schema); nothing started. */
export const RunOptionsError = defineError('invalid_run_options', z.unknown(), { retryable: false, exit: 'usage' });

/** The coordinator's socket server could not start listening. */
export class ServerStartError extends CoordinateError {
  constructor(host: string, port: number, cause: unknown) {
    super('server_start_failed', `cannot listen on ${host}:${port}: ${(cause as Error).message}`, { host, port }, { cause });
  }
}

/** The worker program could not be found or started. */
export class WorkerStartError extends CoordinateError {
  constructor(message: string, data?: unknown) {
    super('worker_start_failed', message, data);
  }
}
