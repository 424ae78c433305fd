import type { Confinement } from './confinement.js';
import { findOsSandbox } from './os-sandbox.js';
import { taskConfinement, type TaskConfinementOptions } from './task-confinement.js';

/** How to start one command: program, arguments, environment and working folder. */
export interface Launch {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/** Starts the commands of one task, inside the OS sandbox unless the person opted out. */
export interface CommandLauncher {
  /** False only when the person chose --no-sandbox. */
  readonly sandboxed: boolean;
  /** The folder commands start in: the task root. */
  readonly cwd: string;
  launch(argv: readonly string[]): Launch;
}

export interface LauncherOptions extends TaskConfinementOptions {
  /** False is the person's explicit opt-out (--no-sandbox): commands then run unconfined. */
  sandbox: boolean;
}

/**
 * The launcher for one task's commands. Rejects with a SandboxUnavailableError (which says how
 * to install a sandbox) when the sandbox is wanted and none can be made on this machine.
 */
export async function commandLauncher(options: LauncherOptions): Promise<CommandLauncher> {
  if (!options.sandbox) {
    return { sandboxed: false, cwd: options.root, launch: ([file, ...args]) => ({ file: file!, args, env: options.env, cwd: options.root }) };
  }
  const sandbox = await findOsSandbox();
  const confinement: Confinement = taskConfinement(options);
  return {
    sandboxed: true,
    cwd: confinement.cwd,
    launch: (argv) => ({ ...sandbox.command(confinement, argv), env: confinement.env, cwd: confinement.cwd }),
  };
}
