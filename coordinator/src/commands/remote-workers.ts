import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { OptionError } from '../config/index.js';
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

/**
 * With --host or --port the run takes workers started by hand, which need the run's token: it is
 * written to a file only its owner can read, and the hint names that file. Tokens the person issued
 * (`coordinate token create`, kept in their config folder) are accepted as well.
 */
export async function remoteWorkersFor(flags: RunFlags, paths: RunPaths, env: NodeJS.ProcessEnv, cwd: string): Promise<RemoteWorkers | undefined> {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new OptionError(flags.tlsCert === undefined ? '--tls-key' : '--tls-cert', 'takes --tls-cert and --tls-key together: a certificate and its private key');
  if (flags.host === undefined && flags.port === undefined) {
    if (flags.tlsCert !== undefined) throw new OptionError('--tls-cert', 'serves workers started by hand: add --host (or --port)');
    return undefined;
  }
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
