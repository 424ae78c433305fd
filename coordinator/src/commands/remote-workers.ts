import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OptionError, parseDurationMs } from '../config/index.js';
import { createRunToken } from '../runtime/index.js';
import type { RunPaths } from '../run/layout.js';
import type { TlsFiles } from '../runtime/index.js';
import { tokenStorePath } from '../tokens/index.js';
import type { RunFlags } from './options.js';

export interface RemoteWorkers {
  host?: string;
  port?: number;
  token: string;
  tokenFile: string;
  /** Tokens issued with `coordinate token create` are accepted too, each its own credential. */
  issuedTokensFile: string;
  /** --tls-cert / --tls-key: the run serves wss://. */
  tls?: TlsFiles;

  /** How a person starts a worker elsewhere, once the URL is known. The token stays in its file, out of the terminal and the logs. */
  hint(url: string): string;
}

/** --heartbeat / --dead-after as ms; a usage error names the flag. */
export function livenessOf(flags: Pick<RunFlags, 'heartbeat' | 'deadAfter'>): { heartbeatMs?: number; deadAfterMs?: number } {
  const ms = (flag: string, value: string | undefined, min: number, max: number) => {
    if (value === undefined) return undefined;
    const parsed = parseDurationMs(value);
    if (parsed === undefined || parsed < min || parsed > max) throw new OptionError(flag, `must be a duration from ${min} ms to ${max / 1000} s such as 5s or 2m; got ${JSON.stringify(value)}`);
    return parsed;
  };
  const heartbeatMs = ms('--heartbeat', flags.heartbeat, 100, 600_000);
  const deadAfterMs = ms('--dead-after', flags.deadAfter, 200, 3_600_000);
  if (deadAfterMs !== undefined && deadAfterMs <= (heartbeatMs ?? 2_000)) throw new OptionError('--dead-after', `must be longer than the heartbeat (${heartbeatMs ?? 2_000} ms)`);
  return { ...(heartbeatMs !== undefined ? { heartbeatMs } : {}), ...(deadAfterMs !== undefined ? { deadAfterMs } : {}) };
}

/** Refuses --tls-cert and --tls-key apart, or without --host/--port; a usage error, checked before anything is spent. */
export function checkRemoteWorkerFlags(flags: Pick<RunFlags, 'tlsCert' | 'tlsKey' | 'host' | 'port' | 'heartbeat' | 'deadAfter'>): void {
  livenessOf(flags);
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new OptionError(flags.tlsCert === undefined ? '--tls-key' : '--tls-cert', 'takes --tls-cert and --tls-key together: a certificate and its private key');
  if (flags.tlsCert !== undefined && flags.host === undefined && flags.port === undefined) throw new OptionError('--tls-cert', 'serves workers started by hand: add --host (or --port)');
}

/**
 * With --host or --port the run takes workers started by hand, which need the run's token: it is
 * written to a file only its owner can read, and the hint names that file. Tokens the person issued
 * (`coordinate token create`, kept in their config folder) are accepted as well.
 */
export async function remoteWorkersFor(flags: RunFlags, paths: RunPaths, env: NodeJS.ProcessEnv, cwd: string): Promise<RemoteWorkers | undefined> {
  checkRemoteWorkerFlags(flags);
  if (flags.host === undefined && flags.port === undefined) return undefined;
  const token = createRunToken();
  const tokenFile = join(paths.dir, 'worker-token');
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  return {
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.port !== undefined ? { port: Number(flags.port) } : {}),
    token,
    tokenFile,
    issuedTokensFile: tokenStorePath(env),
    ...(flags.tlsCert !== undefined && flags.tlsKey !== undefined ? { tls: { certFile: resolve(cwd, flags.tlsCert), keyFile: resolve(cwd, flags.tlsKey) } } : {}),
    hint: (url) => `More workers can join from other machines:\n  COORDINATE_TOKEN="$(cat ${tokenFile})" coordinate worker --url ${url}${flags.tlsCert !== undefined ? ' --ca CA.pem' : ''}\n  (or with a token from \`coordinate token create\`)\n`,
  };
}
