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

/** A person is there to answer: input comes from a terminal, whatever stdout is (`| tee log` included). */
export const isInteractive = (context: CliContext): boolean => Boolean(context.stdin.isTTY);

/**
 * Where a conversation with the person is written: stdout when it is a terminal (or carries no
 * --json), else stderr when that is one, so that `coordinate … > log` still shows the questions.
 */
export const conversationStream = (context: CliContext, json: boolean | undefined): TerminalStream => {
  const out = humanStream(context, json);
  return !out.isTTY && context.stderr.isTTY ? context.stderr : out;
};
