import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import type { CommandLauncher } from '@coordinate/sandbox';
import { safeCommandEnv, withoutSecrets } from './command-env.js';
import { ToolsetUsageError } from './errors.js';
import { OutputLimit } from './output-limit.js';
import { killGroup, trackGroup, untrackGroup } from './process-groups.js';

export const DEFAULT_MAX_OUTPUT_BYTES = 30_000;

export interface RunCommandOptions {
  cwd: string;
  timeoutMs: number;
  /** The command's whole environment (credential-like names are dropped); default `safeCommandEnv(process.env)`. */
  env?: Record<string, string>;
  maxOutputBytes?: number;
  /** Aborting kills the command and everything it started. */
  signal?: AbortSignal;
  /** Starts the shell inside the task's OS sandbox; its environment and folder then replace `env` and `cwd`. */
  launcher?: CommandLauncher;
}

export interface CommandResult {
  /** The shell's exit code; 128 + the signal number when it was killed (137 after SIGKILL). */
  exitCode: number;
  /** stdout and stderr interleaved as they came, cut in the middle with a note when too long. */
  output: string;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
}

/**
 * Runs a shell line with `/bin/sh -c` in its own process group (inside the OS sandbox when a
 * launcher is given). When the timeout expires or the
 * signal aborts, the whole group is killed, grandchildren included; when the shell ends, whatever
 * it left running in the background is killed too, so nothing outlives the call.
 */
export async function runCommand(command: string, options: RunCommandOptions): Promise<CommandResult> {
  const { cwd, timeoutMs, signal } = options;
  const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ToolsetUsageError(`runCommand: timeoutMs must be a positive number of milliseconds, not ${timeoutMs}`);
  if (!Number.isInteger(maxOutputBytes) || maxOutputBytes < 256) throw new ToolsetUsageError(`runCommand: maxOutputBytes must be an integer of at least 256, not ${maxOutputBytes}`);

  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (signal?.aborted) return { exitCode: 130, output: '[not started: the task was cancelled]', timedOut: false, aborted: true, durationMs: 0 };

  const shell = ['/bin/sh', '-c', command];
  const launch = options.launcher?.launch(shell) ?? { file: shell[0]!, args: shell.slice(1), env: options.env ?? safeCommandEnv(process.env), cwd };
  const subprocess = execa(launch.file, launch.args, {
    cwd: launch.cwd,
    env: withoutSecrets(launch.env),
    extendEnv: false,
    detached: true,
    all: true,
    buffer: false,
    reject: false,
    stdin: 'ignore',
  });
  const output = new OutputLimit(maxOutputBytes);
  subprocess.all?.on('data', (chunk: Buffer) => output.push(chunk));

  const pgid = subprocess.pid;
  let timedOut = false;
  let aborted = false;
  const stopAll = () => pgid !== undefined && killGroup(pgid);
  const timer = setTimeout(() => {
    timedOut = true;
    stopAll();
  }, timeoutMs);
  const onAbort = () => {
    aborted = true;
    stopAll();
  };
  if (pgid !== undefined) trackGroup(pgid);
  signal?.addEventListener('abort', onAbort, { once: true });
  subprocess.once('exit', stopAll);

  try {
    const result = await subprocess;
    const notes: string[] = [];
    if (timedOut) notes.push(`[timed out after ${timeoutMs} ms: the command and everything it started were killed]`);
    if (aborted) notes.push('[stopped: the task was cancelled; the command and everything it started were killed]');
    if (pgid === undefined) notes.push(`[could not start: ${result.shortMessage}]`);
    return {
      exitCode: exitCodeOf(result.exitCode, result.signal),
      output: withNotes(output.text(), notes),
      timedOut,
      aborted,
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    if (pgid !== undefined) untrackGroup(pgid);
  }
}

function exitCodeOf(exitCode: number | undefined, signal: string | undefined): number {
  if (exitCode !== undefined) return exitCode;
  const number = signal ? constants.signals[signal as NodeJS.Signals] : undefined;
  return number === undefined ? 127 : 128 + number;
}

const withNotes = (text: string, notes: string[]) =>
  notes.reduce((out, note) => `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${note}\n`, text);
