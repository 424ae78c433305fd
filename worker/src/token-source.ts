import { text } from 'node:stream/consumers';
import { WorkerConfigError } from './errors.js';

/** How long a spawned worker waits for its coordinator to hand over the token on stdin. */
const STDIN_WAIT_MS = 10_000;

/**
 * The worker's token. A spawned worker reads it from stdin, where its coordinator writes it and
 * closes. A worker started by hand takes COORDINATE_TOKEN and removes it from its environment, so
 * nothing it starts inherits it.
 */
export async function readWorkerToken(from: 'stdin' | 'env', env: NodeJS.ProcessEnv, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  if (from === 'env') {
    const token = env.COORDINATE_TOKEN ?? '';
    delete env.COORDINATE_TOKEN;
    return token;
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new WorkerConfigError(`--token-stdin: no token arrived on stdin within ${STDIN_WAIT_MS / 1000} s`)), STDIN_WAIT_MS);
  });
  try {
    const token = (await Promise.race([text(stdin), late])).trim();
    if (!/^\S{16,512}$/.test(token)) throw new WorkerConfigError('--token-stdin: stdin did not carry a token (one line of 16 to 512 characters)');
    return token;
  } finally {
    clearTimeout(timer);
  }
}
