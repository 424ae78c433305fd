import { CoordinateError } from '@coordinate/protocol';

/**
 * No OS sandbox can be made on this machine, so task commands are refused. The message says how
 * to install one, and that `--no-sandbox` is the person's explicit way to run commands unconfined.
 */
export class SandboxUnavailableError extends CoordinateError {
  constructor(message: string, data?: { platform: string; detail?: string }) {
    super('sandbox_unavailable', message, data);
  }
}
