import type { TaskSpec } from '@coordinate/protocol';

/**
 * The commands a verify task's success must prove: its plan `commands`, else the configured test
 * commands (`commands.test`); empty when neither exists, and the verdict is then weak.
 */
export function requiredCommandsFor(task: Pick<TaskSpec, 'commands'>, testCommands: readonly string[]): string[] {
  return task.commands && task.commands.length > 0 ? [...task.commands] : [...testCommands];
}
