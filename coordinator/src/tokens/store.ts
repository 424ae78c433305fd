import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { CoordinateError, defineError, formatZodError } from '@coordinate/protocol';

// The person fixes the file (its mode, owner or content): exit code 2.
defineError('invalid_token_store', z.unknown(), { retryable: false, exit: 'usage' });

/** What a person calls an issued token in `token list` and `token revoke`. */
export const TokenName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be letters, digits, ".", "_" or "-" (at most 64, starting with a letter or digit)');

/** One token issued for workers started by hand: only its SHA-256 is kept, never the token. */
export const IssuedToken = z.object({
  name: TokenName,
  /** Hex SHA-256 of the token. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime(),
  /** Absent: the token does not expire. */
  expiresAt: z.iso.datetime().optional(),
});
export type IssuedToken = z.infer<typeof IssuedToken>;

const TokenFile = z.object({ version: z.literal(1), tokens: z.array(IssuedToken) });

/** The tokens file cannot be used: missing rights, another owner, or content that is not ours. */
export class TokenStoreError extends CoordinateError {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super('invalid_token_store', `${file}: ${problem}`, { file });
  }
}

/**
 * Where issued tokens live: the person's own config folder ($XDG_CONFIG_HOME/coordinate, else
 * ~/.config/coordinate), never the repository, whose content anyone with a pull request can
 * plant.
 */
export function tokenStorePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'coordinate', 'tokens.json');
}

export const tokenDigest = (token: string): string => createHash('sha256').update(token).digest('hex');

/**
 * The tokens in `file`; none when it does not exist. Synchronous, as the coordinator reads it
 * at every upgrade so that a revoked token is refused on the next connection.
 * @throws TokenStoreError when the file is writable by others, owned by someone else or invalid.
 */
export function readIssuedTokens(file: string): IssuedToken[] {
  let text: string;
  try {
    const stat = statSync(file);
    if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) throw new TokenStoreError(file, 'is owned by another user; remove it or fix its owner');
    if ((stat.mode & 0o077) !== 0) throw new TokenStoreError(file, `has mode ${(stat.mode & 0o777).toString(8)}; only its owner may read it: chmod 600 ${file}`);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TokenStoreError(file, 'is not JSON; remove it and issue the tokens again');
  }
  const parsed = TokenFile.safeParse(json);
  if (!parsed.success) throw new TokenStoreError(file, `is not a tokens file (${formatZodError(parsed.error)}); remove it and issue the tokens again`);
  return parsed.data.tokens;
}

/** Replaces the file atomically, owner-only (0600 in a 0700 folder). */
export async function writeIssuedTokens(file: string, tokens: readonly IssuedToken[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, file);
}

/** A fresh worker token: 256 random bits, with a prefix secret scanners can recognise. */
export const newWorkerToken = (): string => `cot_${randomBytes(32).toString('base64url')}`;
