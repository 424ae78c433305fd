import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import pino, { type Logger } from 'pino';
import { closeLogger, collectSecrets, createLogger } from '@coordinate/logging';
import { Role } from '@coordinate/protocol';
import { WorkerConfigError } from './errors.js';
import type { WorkerLimits } from './limits.js';
import { readWorkerToken } from './token-source.js';
import { warnIfCleartext } from './url-check.js';
import { runWorker } from './worker.js';

export interface WorkerArgs {
  url: string;
  /** Where the token comes from: the worker's stdin (spawned workers) or COORDINATE_TOKEN (a person starting one by hand). */
  tokenFrom: 'stdin' | 'env';
  executor: string;
  spawned: boolean;
  limits: WorkerLimits;
  name?: string;
  log?: string;
  /** A PEM file of the CA that signed a wss:// coordinator's certificate. */
  ca?: string;
  /** A repository to clone for implementation and verification, instead of fetching every base commit from the coordinator. */
  repo?: string;
}

export const WORKER_USAGE =
  'usage: coordinate worker --url ws(s)://HOST:PORT [--root DIR] [--role ROLE]... [--max-turns N] [--model NAME] [--max-cost-usd N] [--allow-network] [--no-sandbox] [--ca FILE] [--repo URL] [--executor NAME] [--log FILE]  (token in COORDINATE_TOKEN)';

const positive = (flag: string, value: string | undefined, integer: boolean): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0) || (integer && !Number.isInteger(number))) throw new WorkerConfigError(`${flag} must be a positive ${integer ? 'whole ' : ''}number, not "${value}"`);
  return number;
};

/**
 * Reads the worker's arguments. The token never comes from argv: a spawned worker reads its own
 * from stdin (--token-stdin), a worker started by hand from COORDINATE_TOKEN. A worker started by
 * hand takes its limits from its own flags (root: its cwd unless --root).
 */
export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): WorkerArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        executor: { type: 'string', default: 'model' },
        spawned: { type: 'boolean', default: false },
        'token-stdin': { type: 'boolean', default: false },
        'no-sandbox': { type: 'boolean', default: false },
        'allow-network': { type: 'boolean', default: false },
        root: { type: 'string' },
        role: { type: 'string', multiple: true },
        'max-turns': { type: 'string' },
        'max-cost-usd': { type: 'string' },
        model: { type: 'string' },
        ca: { type: 'string' },
        repo: { type: 'string' },
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
  const tokenFrom = values['token-stdin'] ? 'stdin' : 'env';
  if (tokenFrom === 'env' && !env.COORDINATE_TOKEN) throw new WorkerConfigError('COORDINATE_TOKEN is not set: export the token the coordinator printed for this run');
  const roles = values.role?.map((role) => {
    const parsed = Role.safeParse(role);
    if (!parsed.success) throw new WorkerConfigError(`--role must be one of ${Role.options.join(', ')}, not "${role}"`);
    return parsed.data;
  });
  const maxTurns = positive('--max-turns', values['max-turns'], true);
  const maxCostUsd = positive('--max-cost-usd', values['max-cost-usd'], false);
  const byHand = !values.spawned;
  const limits: WorkerLimits = {
    sandbox: !values['no-sandbox'],
    ...(byHand || values.root ? { root: resolve(cwd, values.root ?? '.') } : {}),
    ...(byHand ? { network: values['allow-network'] } : {}),
    ...(roles ? { roles } : {}),
    ...(maxTurns ? { maxTurns } : {}),
    ...(maxCostUsd ? { maxCostUsd } : {}),
    ...(values.model ? { model: values.model } : {}),
  };
  return {
    url: values.url,
    tokenFrom,
    executor: values.executor,
    spawned: values.spawned,
    limits,
    ...(values.name ? { name: values.name } : {}),
    ...(values.log ? { log: values.log } : {}),
    ...(values.ca ? { ca: values.ca } : {}),
    ...(values.repo ? { repo: values.repo } : {}),
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
  let token: string;
  let ca: string | undefined;
  try {
    token = await readWorkerToken(args.tokenFrom, env);
    ca = args.ca ? await readFile(args.ca, 'utf8').catch((error: Error) => Promise.reject(new WorkerConfigError(`--ca: ${error.message}`))) : undefined;
  } catch (error) {
    process.stderr.write(`coordinate worker: ${(error as Error).message}\n`);
    return 2;
  }
  const warning = warnIfCleartext(args.url);
  if (warning) process.stderr.write(`coordinate worker: warning: ${warning}\n`);
  const logger: Logger = args.log
    ? createLogger({ file: args.log, name: args.name ?? 'worker', secrets: [...collectSecrets(env), token] })
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
      token,
      executor: args.executor,
      limits: args.limits,
      ...(ca ? { ca } : {}),
      ...(args.repo ? { repoUrl: args.repo } : {}),
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
