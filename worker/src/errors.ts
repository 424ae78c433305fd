import { CoordinateError } from '@coordinate/protocol';

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

/** A request to the coordinator (scratchpad, memory) got an error reply or no reply in time. */
export class RemoteRequestError extends CoordinateError {}

/** The deterministic executor was told to fail. */
export class DeterministicFailure extends CoordinateError {
  constructor(attempt: number) {
    super('deterministic_failure', `failed on purpose (attempt ${attempt})`, { attempt });
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
