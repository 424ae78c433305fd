import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Confinement, Mount } from './confinement.js';

export interface TaskConfinementOptions {
  /** The task's root (its worktree): the one place a command may write. Absolute, real. */
  root: string;
  /** The person's home folder: hidden, and an empty private one takes its place. */
  home?: string | undefined;
  network: boolean;
  /** The command's environment; HOME and TMPDIR are set to the private ones. */
  env: Record<string, string>;
}

/** The state folder of a run: tokens, journal and logs live there, so no command may read it. */
const RUN_STATE = '.coordinate';

const isDirectory = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() === true;
const exists = (p: string) => statSync(p, { throwIfNoEntry: false }) !== undefined;
const depth = (p: string) => p.split('/').filter(Boolean).length;

/**
 * How one task's commands see the filesystem: everything read-only; the person's home hidden;
 * every `.coordinate` folder on the way to the root and inside it hidden; the root writable but
 * its `.git` read-only; a worktree's shared git folder readable (it may lie under the hidden home).
 * Mounts are ordered parents first, so a deeper one always takes effect over a shallower one.
 */
export function taskConfinement(options: TaskConfinementOptions): Confinement {
  const { root } = options;
  const mounts: Mount[] = [];
  const home = options.home && path.isAbsolute(options.home) && options.home !== '/' && isDirectory(options.home) ? path.resolve(options.home) : undefined;
  if (home) mounts.push({ kind: 'hide', path: home });
  const gitDir = sharedGitDir(root);
  if (gitDir) mounts.push({ kind: 'read', path: gitDir });
  for (let dir = path.dirname(root); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (path.basename(dir) === RUN_STATE) mounts.push({ kind: 'hide', path: dir });
  }
  mounts.push({ kind: 'write', path: root });
  if (exists(path.join(root, '.git'))) mounts.push({ kind: 'read', path: path.join(root, '.git') });
  if (isDirectory(path.join(root, RUN_STATE))) mounts.push({ kind: 'hide', path: path.join(root, RUN_STATE) });
  if (options.network && isDirectory('/run/systemd/resolve')) mounts.push({ kind: 'read', path: '/run/systemd/resolve' });
  mounts.sort((a, b) => depth(a.path) - depth(b.path));
  return { cwd: root, mounts, network: options.network, env: { ...options.env, HOME: home ?? '/tmp', TMPDIR: '/tmp' } };
}

/** The common git folder of a worktree whose `.git` is a file ("gitdir: …"), or undefined. */
function sharedGitDir(root: string): string | undefined {
  let pointer: string;
  try {
    pointer = readFileSync(path.join(root, '.git'), 'utf8');
  } catch {
    return undefined;
  }
  const gitdir = /^gitdir: (.+)$/m.exec(pointer)?.[1]?.trim();
  if (!gitdir) return undefined;
  const own = path.resolve(root, gitdir);
  let common = own;
  try {
    common = path.resolve(own, readFileSync(path.join(own, 'commondir'), 'utf8').trim());
  } catch {
    // A gitdir without commondir is a repository of its own.
  }
  return isDirectory(common) ? common : undefined;
}
