import { parseCommandLine } from './command-line.js';
import { firstMatch } from './command-pattern.js';
import type { CommandMode } from './roles.js';

/** Commands no role may run, whatever the config says. */
export const ALWAYS_DENIED_COMMANDS: readonly string[] = [
  'sudo *',
  'su',
  'su *',
  'doas *',
  'rm -rf /',
  'rm -rf /*',
  'rm -rf ~*',
  'rm -fr /*',
  'rm -fr ~*',
  'mkfs*',
  'shutdown*',
  'reboot*',
];

/** Commands that reach the network or publish; allowed only when the policy sets `network: true`. */
export const NETWORK_COMMANDS: readonly string[] = [
  'git push*',
  'git pull*',
  'git fetch*',
  'git clone*',
  'git remote add*',
  'curl *',
  'wget *',
  'ssh *',
  'scp *',
  'rsync *',
  'nc *',
  'ncat *',
  'telnet *',
  'ftp *',
  'npm publish*',
  'yarn publish*',
  'pnpm publish*',
  'docker push*',
  'gh *',
];

/** What the implement role may run without config: the usual test, lint, build and look-around commands. */
export const DEFAULT_ALLOWED_COMMANDS: readonly string[] = [
  'npm test*',
  'npm run *',
  'pnpm test*',
  'pnpm run *',
  'yarn test*',
  'yarn run *',
  'npx vitest*',
  'npx jest*',
  'npx tsc*',
  'npx eslint*',
  'npx prettier --check*',
  'node --test*',
  'pytest*',
  'python -m pytest*',
  'python3 -m pytest*',
  'go test*',
  'go vet*',
  'go build*',
  'cargo test*',
  'cargo check*',
  'cargo build*',
  'cargo clippy*',
  'make test*',
  'make check*',
  'make lint*',
  'git diff*',
  'git status*',
  'git log*',
  'git show*',
  'ls',
  'ls *',
  'cat *',
  'head *',
  'tail *',
  'wc *',
  'grep *',
  'pwd',
  'echo *',
];

export interface CommandRules {
  mode: CommandMode;
  allow: readonly string[];
  deny: readonly string[];
  network: boolean;
  directives: readonly { id: string; text: string; commands?: readonly string[] | undefined }[];
}

/**
 * Why `line` may not run under `rules`, or undefined when it may. Every simple command of the
 * line (and every substituted one) is checked, so `npm test && curl …` is judged by its worst part.
 */
export function commandRefusal(line: string, rules: CommandRules): string | undefined {
  if (rules.mode === 'none') return 'this role may not run commands';
  const parsed = parseCommandLine(line);
  const commands = [...parsed.segments, ...parsed.substituted];

  for (const directive of rules.directives) {
    for (const command of commands) {
      const pattern = firstMatch(directive.commands ?? [], command);
      if (pattern) return `"${command}" breaks directive ${directive.id}: ${directive.text}`;
    }
  }
  for (const command of commands) {
    const always = firstMatch(ALWAYS_DENIED_COMMANDS, command);
    if (always) return `"${command}" matches "${always}" on the deny list, which no config can lift`;
    const network = rules.network ? undefined : firstMatch(NETWORK_COMMANDS, command);
    if (network) return `"${command}" matches "${network}": network access and publishing are off for this run (policy network: false)`;
    const denied = firstMatch(rules.deny, command);
    if (denied) return `"${command}" matches "${denied}" in the project's commands.deny`;
  }
  if (rules.mode === 'any') return undefined;

  if (parsed.substituted.length > 0) return 'command substitution ($(…), `…`, <(…)) is not allowed for this role; run each command on its own';
  if (parsed.redirectTargets.length > 0) {
    return `writing files by shell redirection (> ${parsed.redirectTargets[0] || '…'}) is not allowed for this role; use write_file`;
  }
  const allow = [...DEFAULT_ALLOWED_COMMANDS, ...rules.allow];
  const outside = parsed.segments.find((command) => firstMatch(allow, command) === undefined);
  if (outside !== undefined) {
    return `"${outside}" is not on this role's command allowlist (for example: npm test*, npm run *, npx vitest*, git diff*); the project can add patterns to commands.allow`;
  }
  return undefined;
}
