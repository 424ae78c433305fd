import type { ProgressEvent } from '@coordinate/protocol';
import type { GrowthReason, JournalEvent } from '../journal/events.js';
import { formatDuration, formatTokens, formatUsd, totalTokens } from '../report/format.js';
import type { Style } from '../report/style.js';
import { safeText, sanitizeDeep } from '../display/sanitize.js';
import { MergeConflictError } from '../orchestrate/errors.js';
import type { ProgressState } from './state.js';

const stamp = (ts: number) => new Date(ts).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The line a notable event deserves in a log (CI, a pipe) or above the live window; undefined
 * for events too small to mention. Reads the state as it was before the event was applied.
 */
export function describeEvent(event: JournalEvent, state: ProgressState, style: Style): string | undefined {
  // The event is cleaned before the line is styled, so the colours survive and nothing else does.
  return describeRawEvent(sanitizeDeep(event), state, style);
}

function describeRawEvent(event: JournalEvent, state: ProgressState, style: Style): string | undefined {
  const label = (taskId: string) => {
    const task = state.tasks.get(taskId);
    return task ? `${taskId} [${task.role}] ${safeText(task.title)}` : taskId;
  };
  switch (event.type) {
    case 'run.started':
      return `run ${event.runId} started: ${event.tasks.length} tasks, ${event.workers} workers`;
    case 'tasks.added':
      if (event.reason.kind === 'conflict' && event.reason.after) return style.yellow(`↻ ${label(event.reason.after)} taken over by ${event.tasks.map((task) => task.id).join(', ')} (merge conflict)`);
      return style.yellow(`+ ${event.tasks.length} task${event.tasks.length === 1 ? '' : 's'} added (${growthCause(event.reason)}): ${event.tasks.map((task) => task.id).join(', ')}`);
    case 'run.resumed':
      return 'run resumed from its journal';
    case 'worker.joined':
      return `worker ${event.workerId} joined${event.remote ? ' (remote)' : ''}`;
    case 'worker.lost':
      return style.yellow(`worker ${event.workerId} lost: ${event.reason}`);
    case 'task.started':
      return `▶ ${label(event.taskId)} on ${event.workerId}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'task.finished': {
      const { result } = event;
      const spent = `${formatTokens(totalTokens(result.usage))} tokens, ${formatUsd(result.usage.costUsd)}`;
      const summary = result.summary.split('\n')[0] ?? '';
      if (result.outcome === 'succeeded') return style.green(`✓ ${label(event.taskId)} (${spent})`);
      // a conflict at merge is taken over by a resolution task: the line after says which
      if (result.error?.code === MergeConflictError.code) return style.yellow(`↻ ${label(event.taskId)} conflicted with merged work (${spent}): ${result.error.message}`);
      return style.red(`✗ ${label(event.taskId)} failed (${spent}): ${summary}`);
    }
    case 'task.failed':
      // A failed verdict was just reported by its `task.finished` line; say only what happens next.
      if (state.failed.has(event.taskId)) {
        return event.willRetry ? style.yellow(`… ${label(event.taskId)} goes again (attempt ${event.attempt + 1})`) : undefined;
      }
      return style.red(`✗ ${label(event.taskId)} attempt ${event.attempt} failed: ${event.error.message}${event.willRetry ? ' (will retry)' : ''}`);
    case 'task.skipped':
      return style.dim(`- ${label(event.taskId)} skipped: ${event.reason}`);
    case 'tool.denied':
      return style.yellow(`! ${event.taskId}: ${event.tool} denied: ${event.reason}`);
    case 'lease.denied':
      return style.yellow(`! ${event.taskId}: write to ${event.path} denied: leased by ${label(event.holder)}`);
    case 'lease.released':
      return style.dim(`  ${event.taskId} released its lease${event.paths.length === 1 ? '' : 's'} on ${event.paths.join(', ')} (${event.reason === 'merged' ? 'merged' : 'task ended'})`);
    case 'run.finished':
      return `run finished: ${event.outcome}${event.reason ? ` (${event.reason})` : ''}`;
    default:
      return undefined;
  }
}

/** Why tasks joined the run, in the panel's words. */
function growthCause(reason: GrowthReason): string {
  if (reason.kind === 'steer') return 'steered';
  if (reason.kind === 'conflict') return `merge conflict${reason.after ? ` after ${reason.after}` : ''}`;
  return `fix round${reason.round ? ` ${reason.round}` : ''}${reason.after ? ` after ${reason.after}` : ''}`;
}

/** "250 ms", "3 s", "60 s": how long a retry waits, which a server's retry-after may make long. */
const formatWait = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`);

/** A retried model request is worth a line (denials arrive as journal events); routine tool calls only update the live window. */
export function describeToolEvent(taskId: string, event: ProgressEvent, style: Style): string | undefined {
  if (event.kind === 'retry') {
    return style.yellow(`… ${taskId}: model request retried in ${formatWait(event.delayMs)} (attempt ${event.attempt}, ${event.cause})`);
  }
  return undefined;
}

export const timestamped = (ts: number, line: string) => `${stamp(ts)} ${line}`;

function fit(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Rounded down: the bar reads full only when every task is done. */
function bar(done: number, total: number, width: number): string {
  const filled = total === 0 ? 0 : Math.floor((done / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/**
 * The live window: one line per busy worker, longest-running first, the idle ones folded into a
 * count, then the overall bar. Lines fit the terminal's width.
 */
export function frameLines(state: ProgressState, now: number, width: number, style: Style): string[] {
  const lines: string[] = [];
  const workerWidth = Math.max(6, ...[...state.workers.keys()].map((w) => w.length));
  const busy = [...state.workers].flatMap(([workerId, tasks]) => [...tasks.values()].map((task) => ({ workerId, task })));
  const idle = [...state.workers.values()].filter((tasks) => tasks.size === 0).length;
  for (const { workerId, task } of busy.sort((a, b) => a.task.startedAt - b.task.startedAt)) {
    const info = state.tasks.get(task.taskId);
    const text = [
      `  ${workerId.padEnd(workerWidth)}`,
      `${(info?.role ?? '').padEnd(9)}`,
      `${task.taskId}${info ? `: ${info.title}` : ''}${task.attempt > 1 ? ` (attempt ${task.attempt})` : ''}`,
      formatDuration(now - task.startedAt),
      `${formatTokens(task.tokens)} tok`,
      task.leases ? `${task.leases} file${task.leases === 1 ? '' : 's'} leased` : '',
      task.lastTool ?? '',
    ]
      .filter((part) => part !== '')
      .join('  ');
    lines.push(fit(safeText(text), width));
  }
  if (idle > 0) lines.push(style.dim(fit(`  ${idle} worker${idle === 1 ? '' : 's'} idle`, width)));
  const total = state.tasks.size;
  const done = state.finished.size;
  const added = state.added.size > 0 ? ` (${state.added.size} added)` : '';
  const retrying = state.retrying.size > 0 ? ` · ${state.retrying.size} retrying` : '';
  const failed = state.failed.size > 0 ? ` · ${state.failed.size} failed` : '';
  const elapsed = state.startedAt === undefined ? '' : ` · ${formatDuration(now - state.startedAt)}`;
  const summary = ` ${done}/${total} tasks${added}${retrying}${failed} · ${formatTokens(state.tokens)} tokens · ${formatUsd(state.costUsd)}${elapsed}`;
  // the bar gives way to the numbers on a narrow terminal
  const barWidth = Math.max(0, Math.min(30, width - [...summary].length - 2));
  lines.push(style.bold(fit(`  ${bar(done, total, barWidth)}${summary}`, width)));
  return lines;
}
