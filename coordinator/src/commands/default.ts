import type { Command } from 'commander';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { addRunOptions, readFlags, RunFlags } from './options.js';

/** The program's own action: `coordinate "task"`. */
export function registerDefaultCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  addRunOptions(program.argument('[task]', 'what to do, in words: planned, approved by you, run and verified')).action(async (task: string | undefined, raw: unknown) => {
    if (task === undefined) {
      program.outputHelp();
      throw new UsageError('no task given', 'write it in quotes: coordinate "make the failing test pass"');
    }
    const flags = readFlags(RunFlags, raw);
    // loaded on use, so that --help and the light commands start fast
    const { planAndRun } = await import('./task.js');
    done((await planAndRun(context, task, flags)).exitCode);
  });
}
