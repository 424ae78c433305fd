import type { TaskSpec } from '@coordinate/protocol';
import type { JournalEvent } from '../../journal/events.js';

/** One attempt of a task on one worker, in milliseconds from the run's start. */
export interface TimelineBar {
  taskId: string;
  attempt: number;
  workerId: string;
  role: TaskSpec['role'];
  startMs: number;
  endMs: number;
  outcome: 'succeeded' | 'failed' | 'retried' | 'unfinished';
}

export interface RunTimeline {
  /** Every task the run had, those added while it ran included, in the order they appeared. */
  tasks: TaskSpec[];
  /** Workers in the order they joined. */
  workers: string[];
  bars: TimelineBar[];
  durationMs: number;
}

/** Events that bring tasks into the graph: the run's start, and any later addition (fixes, resolutions). */
function tasksOf(event: JournalEvent): readonly TaskSpec[] {
  const tasks = (event as { tasks?: unknown }).tasks;
  return Array.isArray(tasks) ? (tasks as TaskSpec[]) : [];
}

/** Who ran what, when, from the journal: the source of the report's graph and worker timeline. */
export function runTimeline(events: readonly JournalEvent[]): RunTimeline {
  const tasks = new Map<string, TaskSpec>();
  const workers: string[] = [];
  const open = new Map<string, Omit<TimelineBar, 'endMs' | 'outcome'>>();
  const bars: TimelineBar[] = [];
  const start = events[0]?.ts ?? 0;
  const end = events.at(-1)?.ts ?? start;
  const close = (key: string, ts: number, outcome: TimelineBar['outcome']) => {
    const bar = open.get(key);
    if (!bar) return;
    open.delete(key);
    bars.push({ ...bar, endMs: Math.max(bar.startMs, ts - start), outcome });
  };
  for (const event of events) {
    for (const task of tasksOf(event)) if (!tasks.has(task.id)) tasks.set(task.id, task);
    switch (event.type) {
      case 'worker.joined':
        if (!workers.includes(event.workerId)) workers.push(event.workerId);
        break;
      case 'task.started': {
        const role = tasks.get(event.taskId)?.role ?? 'research';
        open.set(`${event.taskId}#${event.attempt}`, { taskId: event.taskId, attempt: event.attempt, workerId: event.workerId, role, startMs: event.ts - start });
        if (!workers.includes(event.workerId)) workers.push(event.workerId);
        break;
      }
      case 'task.finished':
        close(`${event.taskId}#${event.attempt}`, event.ts, event.result.outcome);
        break;
      case 'task.failed':
        close(`${event.taskId}#${event.attempt}`, event.ts, event.willRetry ? 'retried' : 'failed');
        break;
      default:
        break;
    }
  }
  for (const key of [...open.keys()]) close(key, end, 'unfinished');
  return { tasks: [...tasks.values()], workers, bars: bars.sort((a, b) => a.startMs - b.startMs), durationMs: Math.max(1, end - start) };
}
