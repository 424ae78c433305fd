import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import { closeLogger, collectSecrets, createLogger } from '@coordinate/logging';
import { WorkerConfigError } from './errors.js';
import { runWorker } from './worker.js';

export interface WorkerArgs {
  url: string;
  token: string;
  executor: string;
  spawned: boolean;
  name?: string;
  log?: string;
}

export const WORKER_USAGE = 'usage: coordinate worker --url ws://HOST:PORT [--executor NAME] [--log FILE]  (token in COORDINATE_TOKEN)';

/** Reads the worker's arguments; the token only ever comes from the environment, never argv. */
export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv): WorkerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        executor: { type: 'string', default: 'model' },
        spawned: { type: 'boolean', default: false },
        name: { type: 'string' },
        log: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new WorkerConfigError(`${(error as Error).message}\n${WORKER_USAGE}`);
  }
  if (!values.url) throw new WorkerConfigError(`--url is required\n${WORKER_USAGE}`);
  if (!/^wss?:\/\//.test(values.url)) throw new WorkerConfigError(`--url must be a ws:// or wss:// address, got "${values.url}"`);
  const token = env.COORDINATE_TOKEN;
  if (!token) throw new WorkerConfigError('COORDINATE_TOKEN is not set: export the token the coordinator printed for this run');
  return {
    url: values.url,
    token,
    executor: values.executor,
    spawned: values.spawned,
    ...(values.name ? { name: values.name } : {}),
    ...(values.log ? { log: values.log } : {}),
  };
}

/** The whole worker program: parse, run until stopped, and return the exit code. */
export async function runWorkerCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: WorkerArgs;
  try {
    args = parseWorkerArgs(argv, env);
  } catch (error) {
    process.stderr.write(`coordinate worker: ${(error as Error).message}\n`);
    return 2;
  }
  const logger: Logger = args.log
    ? createLogger({ file: args.log, name: args.name ?? 'worker', secrets: collectSecrets(env) })
    : pino({ name: 'worker', redact: ['token', '*.token', 'authorization', '*.authorization'] }, pino.destination(2));
  const controller = new AbortController();
  const onTerm = () => controller.abort();
  // A spawned worker shares the terminal's process group, so Ctrl-C reaches it too; its
  // coordinator decides what happens to the task and tells it with task.cancel and shutdown.
  const onInt = () => (args.spawned ? logger.info('interrupt: waiting for the coordinator to stop the run') : controller.abort());
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    const exit = await runWorker({
      url: args.url,
      token: args.token,
      executor: args.executor,
      logger,
      spawned: args.spawned,
      signal: controller.signal,
      ...(args.name ? { name: args.name } : {}),
    });
    if (exit.code !== 0) process.stderr.write(`coordinate worker: ${exit.reason}\n`);
    return exit.code;
  } catch (error) {
    process.stderr.write(`coordinate worker: ${(error as Error).message}\n`);
    return 2;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    if (args.log) await closeLogger(logger);
    else logger.flush();
  }
}
