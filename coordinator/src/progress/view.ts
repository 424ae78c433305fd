import { createLogUpdate } from 'log-update';
import type { ProgressEvent, TaskSpec, Usage } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { colorEnabled, createStyle } from '../report/style.js';
import { describeEvent, describeToolEvent, frameLines, timestamped } from './lines.js';
import { ProgressState } from './state.js';

/** What the view writes to: a terminal (`process.stderr`) or anything with `write`. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface ProgressViewOptions {
  stream: ProgressStream;
  /** Whether `stream` is a terminal; the live window needs one. */
  isTTY: boolean;
  /** Colors; by default on in a terminal unless NO_COLOR is set. */
  color?: boolean;
  tasks?: readonly Pick<TaskSpec, 'id' | 'title' | 'role'>[];
  /** `CI` set means plain lines even in a terminal; NO_COLOR turns colors off. */
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Least time between two redraws of the live window. */
  redrawMs?: number;
}

export interface ProgressView {
  readonly mode: 'live' | 'plain';
  onEvent(event: JournalEvent): void;
  onProgress(taskId: string, event: ProgressEvent, usage?: Usage): void;
  /** Draws the final state once more and stops redrawing; the last frame stays on screen. */
  stop(): void;
}

/**
 * Live progress of a run. In a terminal: a fixed window of lines (one per worker and an overall
 * bar) redrawn in place, with notable events printed above it. Elsewhere, or with CI set:
 * plain timestamped lines, one per notable event.
 */
export function createProgressView(options: ProgressViewOptions): ProgressView {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const style = createStyle(options.color ?? colorEnabled(env, options.isTTY));
  const state = new ProgressState(options.tasks);
  const { stream } = options;
  const live = options.isTTY && !env.CI;

  if (!live) {
    return {
      mode: 'plain',
      onEvent(event) {
        const line = describeEvent(event, state, style);
        state.apply(event);
        if (line !== undefined) stream.write(`${timestamped(event.ts, line)}\n`);
      },
      onProgress(taskId, event, usage) {
        state.applyTool(taskId, event, usage);
        const line = describeToolEvent(taskId, event, style);
        if (line !== undefined) stream.write(`${timestamped(now(), line)}\n`);
      },
      stop() {},
    };
  }

  // log-update erases and redraws the window and prints event lines above it; its writes for one
  // redraw are gathered into one, so the terminal never shows the window half drawn
  let batch = '';
  const gathered = {
    write: (text: string) => (batch += text),
    isTTY: true,
    get columns() {
      return stream.columns;
    },
    get rows() {
      return stream.rows;
    },
  };
  const log = createLogUpdate(gathered as unknown as NodeJS.WritableStream, { showCursor: true });
  let pending: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const draw = () => {
    timer = undefined;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    let lines = frameLines(state, now(), width, style);
    if (stream.rows !== undefined && lines.length > stream.rows - 1) {
      const keep = Math.max(1, stream.rows - 2);
      lines = [...lines.slice(0, keep - 1), style.dim(`  … ${lines.length - keep} more`), lines[lines.length - 1]!];
    }
    if (pending.length > 0) log.persist(pending.join('\n'));
    pending = [];
    log(lines.join('\n'));
    if (batch !== '') stream.write(batch);
    batch = '';
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(draw, options.redrawMs ?? 100);
    timer.unref();
  };
  // elapsed times move even when no event arrives
  const ticker = setInterval(schedule, 1000);
  ticker.unref();

  return {
    mode: 'live',
    onEvent(event) {
      const line = describeEvent(event, state, style);
      state.apply(event);
      if (line !== undefined) pending.push(line);
      schedule();
    },
    onProgress(taskId, event, usage) {
      state.applyTool(taskId, event, usage);
      const line = describeToolEvent(taskId, event, style);
      if (line !== undefined) pending.push(line);
      schedule();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      clearTimeout(timer);
      draw();
      log.done();
    },
  };
}
