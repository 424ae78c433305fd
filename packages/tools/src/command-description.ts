import type { CommandMode } from './roles.js';

export interface CommandConditions {
  mode: CommandMode;
  network: boolean;
  /** False only when the person turned the OS sandbox off (--no-sandbox). */
  sandboxed: boolean;
}

/** What the model is told about run_command: what really confines its commands, for its role and run. */
export function runCommandDescription({ mode, network, sandboxed }: CommandConditions): string {
  const parts = ['Run a shell command (/bin/sh) in the task root and get its exit code and combined output (long output keeps its start and end). No secrets are in its environment.'];
  parts.push(
    sandboxed
      ? 'It runs in an OS sandbox: only the task root is writable (its .git is read-only); /tmp and HOME are private and start empty; your home folder and the run\'s .coordinate state cannot be read; it cannot see or signal other processes; anything it leaves running is killed when it ends.'
      : 'The person turned the OS sandbox off for this run: stay inside the task root; anything it leaves running is killed when it ends.',
  );
  if (network) parts.push('The network is available.');
  else parts.push(sandboxed ? 'There is no network: every connection fails, and network tools such as curl, git fetch and npm publish are refused.' : 'Network tools such as curl, git fetch and npm publish are refused.');
  if (mode === 'allowlisted') parts.push("This role may run only allowlisted commands, such as the project's tests, lint and build (npm test, npm run <script>, npx vitest, git diff, ls, cat); shell redirection to files and command substitution are refused.");
  else parts.push('Any command may run except a short deny list (sudo, rm -rf /, mkfs, shutdown and the like).');
  return parts.join(' ');
}
