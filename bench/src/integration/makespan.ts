import type { JournalEvent } from 'coordinate';

/**
 * A run's makespan in task-time units, replayed from its journal: each attempt starts, in journal
 * order, at the clock of the last finish before it, and ends `units(taskId, attempt)` later; the
 * clock moves to an attempt's end when the journal says it finished. The order of the run (which
 * attempt went when, what waited for what) is the real one; the time each attempt took is its
 * scripted work, so dispatch, worktree and merge costs (the same in both modes, and noisy on a
 * busy machine) do not count.
 */
export function replayMakespan(events: readonly JournalEvent[], units: (taskId: string, attempt: number) => number): number {
  const ends = new Map<string, number>();
  let now = 0;
  for (const event of events) {
    if (event.type === 'task.started') ends.set(`${event.taskId}#${event.attempt}`, now + units(event.taskId, event.attempt));
    if (event.type === 'task.finished') now = Math.max(now, ends.get(`${event.taskId}#${event.attempt}`) ?? now);
  }
  return now;
}

/** Wall-clock makespan in milliseconds, from the first task queued to the last task finished. */
export function wallMakespanMs(events: readonly JournalEvent[]): number {
  const queued = events.filter((e) => e.type === 'task.queued').map((e) => e.ts);
  const finished = events.filter((e) => e.type === 'task.finished').map((e) => e.ts);
  return Math.max(...finished) - Math.min(...queued);
}
