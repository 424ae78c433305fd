import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { refuseLikelyTypo } from '../cli/command-typo.js';
import { UsageError } from '../cli/errors.js';
import { defineFlags, flag } from '../cli/flags.js';
import { RunFlags } from './options.js';

const DefaultFlags = defineFlags({
  ...RunFlags.table,
  task: flag('--task', 'take the argument as the task even when it looks like a mistyped command'),
});

/** The program's own action: `coordinate "task"`. */
export function registerDefaultCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  DefaultFlags.declare(program.argument('[task]', 'what to do, in words: planned, approved by you, run and verified'))
    .action(async (task: string | undefined, raw: unknown) => {
      if (task === undefined) {
        program.outputHelp();
        throw new UsageError('no task given', 'write it in quotes: coordinate "make the failing test pass"');
      }
      const { task: forced, ...flags } = DefaultFlags.read(raw);
      if (!forced) refuseLikelyTypo(task, program.commands.map((command) => command.name()));
      // loaded on use, so that --help and the light commands start fast
      const { planAndRun } = await import('./task.js');
      done((await planAndRun(context, task, flags)).exitCode);
    });
}
