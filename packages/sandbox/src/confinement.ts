import { z } from 'zod';

const absolute = z.string().min(2).startsWith('/', 'must be an absolute path');

/**
 * One step of the filesystem view a command gets, applied in order over a read-only copy of
 * the whole filesystem: `hide` lays an empty writable folder over a path (its contents are
 * gone for the command), `read` shows a real path read-only again (e.g. below a hidden one),
 * `write` shows a real path writable.
 */
export const Mount = z.strictObject({ kind: z.enum(['hide', 'read', 'write']), path: absolute });
export type Mount = z.infer<typeof Mount>;

/**
 * Everything the OS sandbox needs to start one command: where it runs, the mounts over the
 * read-only root (in order), whether it may use the network, and its whole environment.
 * Besides the mounts, every command gets a private /tmp, its own /proc and /dev, and /run hidden.
 */
export const Confinement = z.strictObject({
  cwd: absolute,
  mounts: z.array(Mount).max(64),
  network: z.boolean(),
  env: z.record(z.string(), z.string()),
});
export type Confinement = z.infer<typeof Confinement>;
