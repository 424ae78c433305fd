import { readFile } from 'node:fs/promises';
import { RunOptionsError } from './errors.js';

/** Where the coordinator's certificate and key are, for wss://. */
export interface TlsFiles {
  /** PEM: the server certificate, followed by its chain up to the CA (spawned workers trust this file). */
  certFile: string;
  /** PEM: the certificate's private key; it never leaves this process. */
  keyFile: string;
}

/**
 * The certificate and key as PEM text.
 * @throws RunOptionsError naming the file and the problem (missing, unreadable, not PEM).
 */
export async function readTlsFiles(files: TlsFiles): Promise<{ cert: string; key: string }> {
  const read = async (file: string, option: string, marker: RegExp) => {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new RunOptionsError(`${option} ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, { option, file });
    });
    if (!marker.test(text)) throw new RunOptionsError(`${option} ${file}: not a PEM file (no "-----BEGIN ${option === '--tls-cert' ? 'CERTIFICATE' : 'PRIVATE KEY'}-----" line)`, { option, file });
    return text;
  };
  const [cert, key] = await Promise.all([read(files.certFile, '--tls-cert', /-----BEGIN CERTIFICATE-----/), read(files.keyFile, '--tls-key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/)]);
  return { cert, key };
}
