import { z } from 'zod';
import { CoordinateError, defineError, ExecutorError } from '@coordinate/protocol';

// Codes the person fixes by changing the command, the config, a plan or their setup: exit code 2.
defineError('worker_config', z.unknown(), { retryable: false, exit: 'usage' });
defineError('certificate_refused', z.unknown(), { retryable: false, exit: 'usage' });

/** The worker was started without what it needs (URL, token, a known executor). */
export class WorkerConfigError extends CoordinateError {
  constructor(message: string) {
    super('worker_config', message);
  }
}

/** The coordinator refused the worker at the door (wrong token, browser origin). */
export class WorkerRefusedError extends CoordinateError {
  constructor(readonly status: number) {
    super('worker_refused', `the coordinator refused the connection with HTTP ${status}${status === 401 ? ': check COORDINATE_TOKEN' : ''}`, { status });
  }
}

/** No coordinator could be reached for longer than the worker waits. */
export class CoordinatorGoneError extends CoordinateError {
  constructor(waitedMs: number) {
    super('coordinator_gone', `no coordinator answered for ${Math.round(waitedMs / 1000)} s; stopping`, { waitedMs });
  }
}

/** The deterministic executor was told to fail. */
export class DeterministicFailure extends ExecutorError {
  constructor(attempt: number) {
    super(`failed on purpose (attempt ${attempt})`, { attempt });
  }
}

/** The coordinator's TLS certificate was not trusted; trying again cannot help. */
export class CertificateRefusedError extends CoordinateError {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super('certificate_refused', `the coordinator's certificate is not trusted (${reason}: ${detail}); if a private CA signed it, pass that CA's PEM file with --ca`, { reason });
  }
}

/** The worker could not set up or read back a task's own clone (git missing, a failed fetch, a full disk). */
export const WorkspaceError = defineError('workspace_failed', z.unknown(), { retryable: true, exit: 'taskFailed' });
