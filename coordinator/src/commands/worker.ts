import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../cli/context.js';
import { defineFlags, flag } from '../cli/flags.js';

const WorkerFlags = defineFlags({
  url: flag('--url <ws-url>', 'the ws:// or wss:// address the coordinator printed for the run', { mandatory: true, schema: z.string() }),
  root: flag('--root <dir>', 'the only folder tasks may work in (default: the current directory)'),
  role: flag('--role <role>', 'take only tasks of this role (repeat for more)', { repeatable: true, schema: z.array(z.string()).optional() }),
  maxTurns: flag('--max-turns <n>', 'at most this many model turns per task'),
  maxCostUsd: flag('--max-cost-usd <usd>', 'at most this cost per task'),
  model: flag('--model <name>', 'use this model, whatever the coordinator asks for'),
  allowNetwork: flag('--allow-network', 'let task commands reach the network when the run grants it'),
  sandbox: flag('--no-sandbox', 'run task commands outside the OS sandbox (only when none can be installed)'),
  ca: flag('--ca <file>', 'trust this PEM certificate authority for wss://'),
  repo: flag('--repo <url>', 'clone this repository for implementation and verification (credentials as git is configured); the coordinator then sends only the commits it lacks'),
  executor: flag('--executor <name>', 'how the worker carries out tasks', { defaultValue: 'model', schema: z.string() }),
  name: flag('--name <name>', 'a name for this worker in logs'),
  log: flag('--log <file>', 'write JSON logs to this file instead of stderr'),
  spawned: flag('--spawned', 'started by the coordinator itself'),
});

export function registerWorkerCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  WorkerFlags.declare(
    program
      .command('worker')
      .description("run a worker that connects to a coordinator's run (the token comes from COORDINATE_TOKEN); it keeps to its own limits, whatever the coordinator asks"),
    ['spawned'],
  )
    .action(async (raw: unknown) => {
      const flags = WorkerFlags.read(raw);
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
