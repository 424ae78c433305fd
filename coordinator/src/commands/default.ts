import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../cli/context.js';
import { refuseLikelyTypo } from '../cli/command-typo.js';
import { UsageError } from '../cli/errors.js';
import { addRunOptions, readFlags, RunFlags } from './options.js';

const DefaultFlags = RunFlags.extend({ task: z.boolean().optional() });

/** The program's own action: `coordinate "task"`. */
export function registerDefaultCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  addRunOptions(program.argument('[task]', 'what to do, in words: planned, approved by you, run and verified'), true)
    .option('--task', 'take the argument as the task even when it looks like a mistyped command')
    .action(async (task: string | undefined, raw: unknown) => {
      if (task === undefined) {
        program.outputHelp();
        throw new UsageError('no task given', 'write it in quotes: coordinate "make the failing test pass"');
      }
      const { task: forced, ...flags } = readFlags(DefaultFlags, raw);
      if (!forced) refuseLikelyTypo(task, program.commands.map((command) => command.name()));
      // loaded on use, so that --help and the light commands start fast
      const { planAndRun } = await import('./task.js');
      done((await planAndRun(context, task, flags)).exitCode);
    });
}
