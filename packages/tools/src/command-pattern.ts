/** Leading `NAME=value` assignments set a variable for the command; they do not change which command runs. */
const ASSIGNMENTS = /^(?:[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"[^"]*"|[^\s'"]*)\s+)+/;

const normalize = (command: string) => command.trim().replace(/\s+/g, ' ');

/** The command a segment runs, as patterns are written: without leading assignments, single-spaced. */
export const commandForMatching = (segment: string) => normalize(normalize(segment).replace(ASSIGNMENTS, ''));

/**
 * Compiles a command pattern such as `npm test*` or `git push*`: `*` matches any run of
 * characters (spaces and slashes included), everything else matches itself, whitespace runs
 * count as one space, and the whole command must match.
 */
export function compileCommandPattern(pattern: string): (command: string) => boolean {
  const source = normalize(pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (command) => regex.test(commandForMatching(command));
}

/** The first pattern that matches `command`, if any. */
export function firstMatch(patterns: readonly string[], command: string): string | undefined {
  return patterns.find((pattern) => compileCommandPattern(pattern)(command));
}
