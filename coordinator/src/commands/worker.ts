import { Option, type Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../cli/context.js';
import { readFlags } from './options.js';

const WorkerFlags = z.object({
  url: z.string(),
  executor: z.string(),
  name: z.string().optional(),
  log: z.string().optional(),
  spawned: z.boolean().optional(),
});

export function registerWorkerCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  program
    .command('worker')
    .description("run a worker that connects to a coordinator's run (the token comes from COORDINATE_TOKEN)")
    .requiredOption('--url <ws-url>', 'the ws:// address the coordinator printed for the run')
    .option('--executor <name>', 'how the worker carries out tasks', 'model')
    .option('--name <name>', 'a name for this worker in logs')
    .option('--log <file>', 'write JSON logs to this file instead of stderr')
    .addOption(new Option('--spawned', 'started by the coordinator itself').hideHelp())
    .action(async (raw: unknown) => {
      const flags = readFlags(WorkerFlags, raw);
      const argv = ['--url', flags.url, '--executor', flags.executor];
      if (flags.name) argv.push('--name', flags.name);
      if (flags.log) argv.push('--log', flags.log);
      if (flags.spawned) argv.push('--spawned');
      const { runWorkerCli } = await import('@coordinate/worker');
      // the worker stops its task on Ctrl-C itself; the CLI only adds the second-press exit
      done(await context.interrupts.whileStoppable(() => runWorkerCli(argv, context.env)));
    });
}
