import type { Confinement } from './confinement.js';

const quote = (path: string) => JSON.stringify(path);

/**
 * The sandbox-exec(1) profile (Seatbelt, SBPL) for `confinement` on macOS. Later rules win, so
 * the mounts read in the same order as on Linux: `hide` denies reading and writing a folder,
 * `read` allows reading again below it, `write` allows both. Writes are refused everywhere else
 * but the system's temporary folders; the network is refused unless granted. macOS has no PID
 * namespace: what a command leaves running is killed through its process group only.
 */
export function seatbeltProfile(confinement: Confinement): string {
  const rules = [
    '(version 1)',
    '(deny default)',
    '(allow process-fork process-exec process-info* signal sysctl-read mach-lookup ipc-posix-shm iokit-open)',
    '(allow file-read* file-ioctl)',
    '(allow file-write* (subpath "/private/tmp") (subpath "/private/var/folders") (literal "/dev/null") (literal "/dev/tty"))',
  ];
  for (const { kind, path } of confinement.mounts) {
    if (kind === 'hide') rules.push(`(deny file-read* file-write* (subpath ${quote(path)}))`);
    if (kind === 'read') rules.push(`(allow file-read* (subpath ${quote(path)}))`, `(deny file-write* (subpath ${quote(path)}))`);
    if (kind === 'write') rules.push(`(allow file-read* file-write* (subpath ${quote(path)}))`);
  }
  if (confinement.network) rules.push('(allow network*)');
  return `${rules.join('\n')}\n`;
}
