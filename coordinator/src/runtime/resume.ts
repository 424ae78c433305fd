import type { TaskSpec } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { readJournal, rebuildRunState } from '../journal/index.js';
import { RunOptionsError } from './errors.js';
import type { InitialTaskState } from './scheduler.js';

export interface ResumeState {
  events: JournalEvent[];
  initial: Map<string, InitialTaskState>;
}

/**
 * Where each task stands according to an interrupted run's journal. Settled tasks stay settled
 * (their results feed their dependents); anything that was queued or running starts over with
 * an attempt number above every one handed out before, so a late result from the old run is fenced off.
 */
export async function loadResumeState(journalFile: string, tasks: readonly TaskSpec[]): Promise<ResumeState> {
  const { events } = await readJournal(journalFile);
  const state = rebuildRunState(events);
  if (!state.run) throw new RunOptionsError(`cannot resume: ${journalFile} has no run.started event`);
  const planned = new Set(state.run.tasks.map((t) => t.id));
  const unknown = tasks.filter((t) => !planned.has(t.id)).map((t) => t.id);
  if (unknown.length > 0 || planned.size !== tasks.length) {
    throw new RunOptionsError(`cannot resume: the plan's tasks differ from the journal's (${unknown.length ? `new: ${unknown.join(', ')}` : 'tasks were removed'})`);
  }
  const initial = new Map<string, InitialTaskState>();
  for (const spec of tasks) {
    const task = state.tasks[spec.id];
    const status = task?.status;
    initial.set(spec.id, {
      status: status === 'succeeded' || status === 'failed' || status === 'skipped' ? status : 'waiting',
      attempt: task?.attempt ?? 0,
      ...(task?.result ? { result: task.result } : {}),
    });
  }
  return { events, initial };
}
