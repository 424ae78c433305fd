import { Command, CommanderError } from 'commander';
import { registerCleanCommand } from '../commands/clean.js';
import { registerDefaultCommand } from '../commands/default.js';
import { registerDemoCommand } from '../commands/demo.js';
import { registerMemoryCommand } from '../commands/memory.js';
import { registerPlanCommand } from '../commands/plan.js';
import { registerResumeCommand } from '../commands/resume.js';
import { registerRunCommand } from '../commands/run.js';
import { registerRunsCommand } from '../commands/runs.js';
import { registerShowCommand } from '../commands/show.js';
import { registerSteerCommand } from '../commands/steer.js';
import { registerTrustCommand } from '../commands/trust.js';
import { registerTokenCommand } from '../commands/token.js';
import { registerWorkerCommand } from '../commands/worker.js';
import { registerWatchCommand } from '../watch/command.js';
import { registerInboxCommand } from '../watch/inbox-command.js';
import type { CliContext } from './context.js';
import { describeFailure, exitCodeFor } from './failure.js';
import { wrapFor } from './wrap.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    every task succeeded and was verified
  1    a task or a verification failed
  2    usage or config error
  3    plan rejected or aborted
  4    budget exhausted
  5    the model API could not be reached
  130  interrupted`;

/** The `coordinate` command line; `done` receives a command's exit code. */
export function createProgram(context: CliContext, done: (code: number) => void): Command {
  const program = new Command('coordinate')
    .description('Plan a task with a model, approve the plan, and run it with parallel workers whose work is verified.')
    .version(context.version, '-V, --version', 'print the version')
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.stdout.write(text),
      writeErr: (text) => context.stderr.write(text),
      // Failures are printed once, in the CLI's own shape, by runCli.
      outputError: () => undefined,
    })
    .addHelpText('after', EXIT_CODES_HELP);

  registerDefaultCommand(program, context, done);
  registerPlanCommand(program, context, done);
  registerRunCommand(program, context, done);
  registerResumeCommand(program, context, done);
  registerRunsCommand(program, context, done);
  registerShowCommand(program, context, done);
  registerSteerCommand(program, context, done);
  registerCleanCommand(program, context, done);
  registerDemoCommand(program, context, done);
  registerWorkerCommand(program, context, done);
  registerTrustCommand(program, context, done);
  registerTokenCommand(program, context, done);
  registerWatchCommand(program, context, done);
  registerInboxCommand(program, context, done);
  registerMemoryCommand(program, {
    cwd: () => context.cwd,
    stdout: (text) => context.stdout.write(`${text}\n`),
    stderr: (text) => context.stderr.write(`${text}\n`),
  });
  return program;
}

/** Runs one command line to its end and returns the exit code; nothing escapes as a stack trace. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let code: number | undefined;
  const program = createProgram(context, (value) => (code = value));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')) {
      return 0;
    }
    if (context.interrupts.signal.aborted) return 130;
    context.stderr.write(wrapFor(context.stderr, describeFailure(error, context.env)));
    return exitCodeFor(error);
  }
  return code ?? (typeof process.exitCode === 'number' ? process.exitCode : 0);
}
