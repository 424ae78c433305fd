import { createLogUpdate } from 'log-update';
import { formatDuration } from '../report/format.js';
import type { ProgressStream } from './view.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface WaitingLineOptions {
  stream: ProgressStream;
  /** Whether `stream` is a terminal; only a terminal gets the moving line. */
  isTTY: boolean;
  /** `CI` set means a plain line even in a terminal. */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Time between two redraws, in ms. */
  tickMs?: number;
}

export interface WaitingLine {
  /** Stops moving; in a terminal the line stays, with the time the wait took. */
  stop(): void;
}

/**
 * One line for a wait with nothing else to show (the planner thinking): in a terminal a spinner
 * with the elapsed time, redrawn in place; elsewhere, or with CI set, the text once as a plain line.
 */
export function startWaitingLine(text: string, options: WaitingLineOptions): WaitingLine {
  const env = options.env ?? process.env;
  const { stream } = options;
  if (!options.isTTY || env.CI) {
    stream.write(`${text}\n`);
    return { stop() {} };
  }
  const now = options.now ?? Date.now;
  const started = now();
  // the cursor stays visible: an approval prompt follows on the same terminal
  const log = createLogUpdate(stream as NodeJS.WritableStream, { showCursor: true });
  let frame = 0;
  const elapsed = () => formatDuration(now() - started);
  log(`${FRAMES[0]} ${text} ${elapsed()}`);
  const ticker = setInterval(() => log(`${FRAMES[++frame % FRAMES.length]} ${text} ${elapsed()}`), options.tickMs ?? 100);
  ticker.unref();
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      // no mark: the wait may have ended in an error, which is reported below it
      log(`${text} ${elapsed()}`);
      log.done();
    },
  };
}

/** Runs `work` with a waiting line showing until it settles. */
export async function whileWaiting<T>(text: string, options: WaitingLineOptions, work: () => Promise<T>): Promise<T> {
  const line = startWaitingLine(text, options);
  try {
    return await work();
  } finally {
    line.stop();
  }
}
