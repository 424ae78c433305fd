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
  root: z.string().optional(),
  role: z.array(z.string()).optional(),
  maxTurns: z.string().optional(),
  maxCostUsd: z.string().optional(),
  model: z.string().optional(),
  allowNetwork: z.boolean().optional(),
  sandbox: z.boolean().optional(),
  ca: z.string().optional(),
  repo: z.string().optional(),
});

export function registerWorkerCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  program
    .command('worker')
    .description("run a worker that connects to a coordinator's run (the token comes from COORDINATE_TOKEN); it keeps to its own limits, whatever the coordinator asks")
    .requiredOption('--url <ws-url>', 'the ws:// or wss:// address the coordinator printed for the run')
    .option('--root <dir>', 'the only folder tasks may work in (default: the current directory)')
    .option('--role <role>', 'take only tasks of this role (repeat for more)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--max-turns <n>', 'at most this many model turns per task')
    .option('--max-cost-usd <usd>', 'at most this cost per task')
    .option('--model <name>', 'use this model, whatever the coordinator asks for')
    .option('--allow-network', 'let task commands reach the network when the run grants it')
    .option('--no-sandbox', 'run task commands outside the OS sandbox (only when none can be installed)')
    .option('--ca <file>', 'trust this PEM certificate authority for wss://')
    .option('--repo <url>', 'clone this repository for implementation and verification (credentials as git is configured); the coordinator then sends only the commits it lacks')
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
      if (flags.root) argv.push('--root', flags.root);
      for (const role of flags.role ?? []) argv.push('--role', role);
      if (flags.maxTurns) argv.push('--max-turns', flags.maxTurns);
      if (flags.maxCostUsd) argv.push('--max-cost-usd', flags.maxCostUsd);
      if (flags.model) argv.push('--model', flags.model);
      if (flags.allowNetwork) argv.push('--allow-network');
      if (flags.sandbox === false) argv.push('--no-sandbox');
      if (flags.ca) argv.push('--ca', flags.ca);
      if (flags.repo) argv.push('--repo', flags.repo);
      const { runWorkerCli } = await import('@coordinate/worker');
      // the worker stops its task on Ctrl-C itself; the CLI only adds the second-press exit
      done(await context.interrupts.whileStoppable(() => runWorkerCli(argv, context.env)));
    });
}
