import type { Readable, Writable } from 'node:stream';
import type { Interrupts } from './interrupts.js';

export type TerminalStream = Writable & { isTTY?: boolean; columns?: number; rows?: number };

/** Everything a command reaches outside itself; the program passes the real process. */
export interface CliContext {
  stdin: Readable & { isTTY?: boolean };
  stdout: TerminalStream;
  stderr: TerminalStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  interrupts: Interrupts;
  version: string;
}

/** Where the human-readable output goes: stderr when stdout carries `--json`. */
export const humanStream = (context: CliContext, json: boolean | undefined): TerminalStream => (json ? context.stderr : context.stdout);

/** A person is there to answer: both ends of the conversation are a terminal. */
export const isInteractive = (context: CliContext): boolean => Boolean(context.stdin.isTTY && context.stdout.isTTY);
