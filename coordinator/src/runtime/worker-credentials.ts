import { timingSafeEqual } from 'node:crypto';
import { isLive, tokenDigest, type IssuedToken } from '../tokens/index.js';
import { createRunToken } from './token.js';

/** Who a remote worker is: every worker started by hand with the run's token shares it. */
export const REMOTE_IDENTITY = 'remote';

const digest = (token: string) => Buffer.from(tokenDigest(token), 'hex');

export interface IssuedTokenSource {
  /** Read at every `identify`, so a token revoked or expired during the run is refused from the next connection on. */
  read(): readonly IssuedToken[];
  /** The tokens could not be read (an unusable tokens file): none of them is accepted, every other token still is. */
  onUnreadable(error: Error): void;
}

/**
 * The tokens a run accepts, each bound to who holds it: a spawned worker's own token names that
 * worker, the run token handed to workers started by hand names `remote`, a token issued with
 * `coordinate token create` names `issued:<its name>`. A worker id can then be
 * claimed only with the credentials it first joined with, so a token read by a task elsewhere
 * never lets anyone speak for a spawned worker.
 */
export class WorkerCredentials {
  readonly #tokens: { identity: string; hash: Buffer }[] = [];
  readonly #issued: IssuedTokenSource | undefined;

  constructor(remoteToken?: string, issued?: IssuedTokenSource) {
    if (remoteToken !== undefined) this.#tokens.push({ identity: REMOTE_IDENTITY, hash: digest(remoteToken) });
    this.#issued = issued;
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
    for (const entry of [...this.#tokens, ...this.#liveIssued()]) if (timingSafeEqual(entry.hash, hash)) identity ??= entry.identity;
    return identity;
  }

  #liveIssued(): { identity: string; hash: Buffer }[] {
    if (!this.#issued) return [];
    try {
      const now = Date.now();
      return this.#issued
        .read()
        .filter((entry) => isLive(entry, now))
        .map((entry) => ({ identity: `issued:${entry.name}`, hash: Buffer.from(entry.sha256, 'hex') }));
    } catch (error) {
      this.#issued.onUnreadable(error as Error);
      return [];
    }
  }
}
