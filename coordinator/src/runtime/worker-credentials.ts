import { createHash, timingSafeEqual } from 'node:crypto';
import { createRunToken } from './token.js';

/** Who a remote worker is: every worker started by hand with the run's token shares it. */
export const REMOTE_IDENTITY = 'remote';

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The tokens a run accepts, each bound to who holds it: a spawned worker's own token names that
 * worker, the run token handed to workers started by hand names `remote`. A worker id can then be
 * claimed only with the credentials it first joined with, so a token read by a task elsewhere
 * never lets anyone speak for a spawned worker.
 */
export class WorkerCredentials {
  readonly #tokens: { identity: string; hash: Buffer }[] = [];

  constructor(remoteToken?: string) {
    if (remoteToken !== undefined) this.#tokens.push({ identity: REMOTE_IDENTITY, hash: digest(remoteToken) });
  }

  /** A fresh token for the spawned worker `identity`; it reaches the worker over stdin, never its environment. */
  issue(identity: string): string {
    const token = createRunToken();
    this.#tokens.push({ identity, hash: digest(token) });
    return token;
  }

  /**
   * Whose token an Authorization header carries, or undefined. Every known token is compared, in
   * constant time, whatever matches first.
   */
  identify(header: string | undefined): string | undefined {
    const presented = /^Bearer (\S+)$/i.exec(header ?? '')?.[1];
    if (!presented) return undefined;
    const hash = digest(presented);
    let identity: string | undefined;
    for (const entry of this.#tokens) if (timingSafeEqual(entry.hash, hash)) identity ??= entry.identity;
    return identity;
  }
}
