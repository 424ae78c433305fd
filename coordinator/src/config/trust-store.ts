import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { parseJsonText } from './json-text.js';

const TRUST_FILE = 'trusted-configs.json';

const TrustRecord = z.strictObject({
  /** The repository's root folder, as realpath gives it. */
  repo: z.string().min(1),
  /** sha256 of the config file's exact text, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** ISO time the person accepted it. */
  trustedAt: z.string(),
});
const TrustFile = z.strictObject({ v: z.literal(1), records: z.array(TrustRecord) });
type TrustFile = z.infer<typeof TrustFile>;

/** sha256 of a config file's text, hex: the identity a trust record holds. */
export const contentHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

async function readTrustFile(dir: string): Promise<TrustFile> {
  const file = join(dir, TRUST_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return { v: 1, records: [] };
  const parsed = parseJsonText(text);
  const checked = 'error' in parsed ? undefined : TrustFile.safeParse(parsed.value);
  if (!checked?.success) throw new ConfigError(file, ['not a trust file this version can read; remove it and run `coordinate trust` again']);
  return checked.data;
}

/** Whether the person trusted this exact text of the repository's config. */
export async function isTrusted(dir: string, repo: string, sha256: string): Promise<boolean> {
  const { records } = await readTrustFile(dir);
  return records.some((r) => r.repo === repo && r.sha256 === sha256);
}

/** Records the person's trust in one text of a repository's config, replacing what they trusted there before; owner-only file. */
export async function recordTrust(dir: string, repo: string, sha256: string): Promise<void> {
  const current = await readTrustFile(dir);
  const records = [...current.records.filter((r) => r.repo !== repo), { repo, sha256, trustedAt: new Date().toISOString() }];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, TRUST_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify({ v: 1, records } satisfies TrustFile, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
}
