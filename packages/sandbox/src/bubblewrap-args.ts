import type { Confinement } from './confinement.js';

const MOUNT_FLAG = { hide: '--tmpfs', read: '--ro-bind', write: '--bind' } as const;

/**
 * The bwrap(1) argument list that runs `argv` confined: new PID, IPC, UTS and (unless the
 * network is granted) network namespaces; every capability dropped, so nothing inside can undo a
 * mount; a new session (no terminal injection); and the sandbox dies with its parent. When the
 * command ends, bwrap's init in the PID namespace ends and the kernel kills everything left in it.
 */
export function bubblewrapArgs(confinement: Confinement, argv: readonly string[]): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try'];
  if (!confinement.network) args.push('--unshare-net');
  args.push('--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--tmpfs', '/run');
  for (const mount of confinement.mounts) {
    args.push(MOUNT_FLAG[mount.kind], mount.path);
    if (mount.kind !== 'hide') args.push(mount.path);
  }
  args.push('--chdir', confinement.cwd, '--', ...argv);
  return args;
}
