import leven from 'leven';
import { UsageError } from './errors.js';

/** Commands are short words; two edits is how far a typo of one goes ("resum", "runz", "shwo"). */
const MAX_TYPO_DISTANCE = 2;

/** The commands nearest to a word (every one at the least distance), or none when none is within reach. */
export function nearestCommands(word: string, commands: readonly string[]): string[] {
  if (word.toLowerCase() === 'help') return ['--help'];
  const scored = commands.map((name) => ({ name, distance: leven(word.toLowerCase(), name) })).filter((c) => c.distance <= MAX_TYPO_DISTANCE);
  const best = Math.min(...scored.map((c) => c.distance));
  return scored.filter((c) => c.distance === best).map((c) => c.name);
}

/**
 * Refuses a task that is more likely a mistyped command than work to plan: a single word, or one
 * within two edits of a command. Planning it would spend money on "Goal: help". `--task` overrides.
 * @throws UsageError naming the command meant, or how to pass a one-word task.
 */
export function refuseLikelyTypo(task: string, commands: readonly string[]): void {
  const word = task.trim();
  if (/\s/.test(word)) return;
  const meant = nearestCommands(word, commands);
  const asTask = `to plan "${word}" as a task, pass --task: coordinate --task "${word}"`;
  if (meant.length > 0) {
    throw new UsageError(`"${word}" is not a command; did you mean ${meant.map((name) => `\`coordinate ${name}\``).join(' or ')}?`, asTask);
  }
  throw new UsageError(`"${word}" is a single word, which looks more like a mistyped command than a task; nothing was planned`, `\`coordinate --help\` lists the commands; ${asTask}`);
}
