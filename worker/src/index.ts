export * from './executor.js';
export * from './errors.js';
export * from './executors/index.js';
export { runWorker, type WorkerOptions, type WorkerExit } from './worker.js';
export { runWorkerCli, parseWorkerArgs, WORKER_USAGE, type WorkerArgs } from './cli.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
