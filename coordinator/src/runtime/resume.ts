import { LeaseWaitError, type TaskSpec } from '@coordinate/protocol';
import type { JournalEvent, JournalEventOf } from '../journal/events.js';
import { readJournal, rebuildRunState } from '../journal/index.js';
import { RunOptionsError } from './errors.js';
import type { InitialTaskState } from './scheduler.js';

export interface ResumeState {
  events: JournalEvent[];
  /** Every task of the run: the plan's and those added while it ran (fixes, steers). */
  tasks: TaskSpec[];
  initial: Map<string, InitialTaskState>;
}

/**
 * Where each task stands according to an interrupted run's journal. Settled tasks stay settled
 * (their results feed their dependents); anything that was queued, running or interrupted starts
 * over with an attempt number above every one handed out or reserved before (`task.queued`), so
 * a late result from the old run is fenced off, even of an attempt whose `task.assigned` never
 * reached the disk; one whose newest attempt ended to wait for a file lease is marked so
 * (`leaseWait`). The plan must be the one the journal started with.
 */
export async function loadResumeState(journalFile: string, planned: readonly TaskSpec[]): Promise<ResumeState> {
  const { events } = await readJournal(journalFile);
  const state = rebuildRunState(events);
  const started = events.find((event): event is JournalEventOf<'run.started'> => event.type === 'run.started');
  if (!state.run || !started) throw new RunOptionsError(`cannot resume: ${journalFile} has no run.started event`);
  const journaled = new Set(started.tasks.map((t) => t.id));
  const unknown = planned.filter((t) => !journaled.has(t.id)).map((t) => t.id);
  if (unknown.length > 0 || journaled.size !== planned.length) {
    throw new RunOptionsError(`cannot resume: the plan's tasks differ from the journal's (${unknown.length ? `new: ${unknown.join(', ')}` : 'tasks were removed'})`);
  }
  const reserved = reservedAttempts(events);
  const lastFailure = new Map<string, JournalEventOf<'task.failed'>>();
  for (const event of events) if (event.type === 'task.failed') lastFailure.set(event.taskId, event);
  const initial = new Map<string, InitialTaskState>();
  for (const spec of state.run.tasks) {
    const task = state.tasks[spec.id];
    const status = task?.status;
    const failure = lastFailure.get(spec.id);
    // its newest attempt ended to wait for a file lease, and no later one was handed out
    const leaseWait = task !== undefined && failure?.attempt === task.attempt && failure.willRetry && failure.error.code === LeaseWaitError.code;
    initial.set(spec.id, {
      status: status === 'succeeded' || status === 'failed' || status === 'skipped' ? status : 'waiting',
      attempt: Math.max(task?.attempt ?? 0, reserved.get(spec.id) ?? 0),
      ...(task?.result ? { result: task.result } : {}),
      ...(leaseWait ? { leaseWait } : {}),
    });
  }
  return { events, tasks: state.run.tasks, initial };
}

/** Each task's highest attempt number reserved by `task.queued` (journal version 4 on; older journals reserve none). */
function reservedAttempts(events: readonly JournalEvent[]): Map<string, number> {
  const reserved = new Map<string, number>();
  for (const event of events) {
    if (event.type === 'task.queued' && event.attempt !== undefined) reserved.set(event.taskId, Math.max(event.attempt, reserved.get(event.taskId) ?? 0));
  }
  return reserved;
}
