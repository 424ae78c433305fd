import { CoordinateError } from '@coordinate/protocol';

/** runPlan was called with options it cannot run (bad worker count, tasks that fail the schema). */
export class RunOptionsError extends CoordinateError {
  constructor(message: string, data?: unknown) {
    super('invalid_run_options', message, data);
  }
}

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
