import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { bubblewrapArgs } from './bubblewrap-args.js';
import type { Confinement } from './confinement.js';
import { SandboxUnavailableError } from './errors.js';
import { seatbeltProfile } from './seatbelt-profile.js';

/** The program and arguments that run a command confined. */
export interface SandboxedCommand {
  file: string;
  args: string[];
}

/** An OS sandbox that works on this machine. */
export interface OsSandbox {
  readonly kind: 'bubblewrap' | 'sandbox-exec';
  command(confinement: Confinement, argv: readonly string[]): SandboxedCommand;
}

const OPT_OUT = 'or, to run task commands unconfined at your own risk, pass --no-sandbox';
const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

const bubblewrap: OsSandbox = { kind: 'bubblewrap', command: (confinement, argv) => ({ file: 'bwrap', args: bubblewrapArgs(confinement, argv) }) };
const sandboxExec: OsSandbox = {
  kind: 'sandbox-exec',
  command: (confinement, argv) => ({ file: SANDBOX_EXEC, args: ['-p', seatbeltProfile(confinement), ...argv] }),
};

let found: Promise<OsSandbox> | undefined;

/**
 * The OS sandbox of this machine, checked once per process by confining `true`: bubblewrap on
 * Linux, sandbox-exec on macOS. Rejects with a SandboxUnavailableError that says how to install
 * one when there is none or it cannot create a sandbox here.
 */
export function findOsSandbox(): Promise<OsSandbox> {
  found ??= probe(process.platform === 'darwin' ? sandboxExec : bubblewrap, process.platform);
  return found;
}

async function probe(sandbox: OsSandbox, platform: string): Promise<OsSandbox> {
  if (platform !== 'linux' && platform !== 'darwin') {
    throw new SandboxUnavailableError(`commands cannot be sandboxed on ${platform}: coordinate sandboxes them with bubblewrap on Linux and sandbox-exec on macOS; ${OPT_OUT}`, { platform });
  }
  if (platform === 'darwin' && !existsSync(SANDBOX_EXEC)) {
    throw new SandboxUnavailableError(`commands cannot be sandboxed: ${SANDBOX_EXEC} is missing; ${OPT_OUT}`, { platform });
  }
  const { file, args } = sandbox.command({ cwd: '/', mounts: [], network: false, env: {} }, ['/bin/sh', '-c', 'exit 0']);
  const result = await execa(file, args, { reject: false, stdin: 'ignore', timeout: 10_000, extendEnv: false, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
  if (result.exitCode === 0) return sandbox;
  const detail = String(result.stderr || result.shortMessage).trim().slice(0, 500);
  if ((result as { code?: string }).code === 'ENOENT') {
    throw new SandboxUnavailableError(
      `commands cannot be sandboxed: bubblewrap is not installed. Install it (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap), ${OPT_OUT}`,
      { platform, detail },
    );
  }
  throw new SandboxUnavailableError(
    `commands cannot be sandboxed: ${sandbox.kind} could not start a sandbox here (${detail}). On Linux, unprivileged user namespaces may be off (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile for bwrap on Ubuntu 24.04); ${OPT_OUT}`,
    { platform, detail },
  );
}
