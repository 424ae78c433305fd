export { Confinement, Mount } from './confinement.js';
export { bubblewrapArgs } from './bubblewrap-args.js';
export { seatbeltProfile } from './seatbelt-profile.js';
export { findOsSandbox, type OsSandbox, type SandboxedCommand } from './os-sandbox.js';
export { taskConfinement, type TaskConfinementOptions } from './task-confinement.js';
export { commandLauncher, type CommandLauncher, type Launch, type LauncherOptions } from './command-launcher.js';
export { SandboxUnavailableError } from './errors.js';
