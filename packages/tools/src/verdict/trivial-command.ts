import { normalizeCommand } from './excerpt-match.js';

/** Commands that succeed whatever the code does: they print or wait, and check nothing. */
const CHECKS_NOTHING = new Set(['true', ':', 'exit', 'echo', 'printf', 'sleep', 'pwd']);

/**
 * Whether a command line checks nothing: every command in it (split at `;`, `&&`, `||`, `|`) is one
 * of `true`, `:`, `exit`, `echo`, `printf`, `sleep`, `pwd`. Such a run never stands in for a test.
 */
export function checksNothing(command: string): boolean {
  const parts = normalizeCommand(command)
    .split(/&&|\|\||[;|\n]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
  return parts.length === 0 || parts.every((part) => CHECKS_NOTHING.has(part.split(' ')[0]!));
}
