import { addUsage, emptyUsage, rebuildError, stopOutcomeOf, usageGrowth, type TaskSpec, type Usage } from '@coordinate/protocol';
import type { JournalEvent, JournalEventOf } from './events.js';
import type { AttemptRecord, RunState, TaskState } from './state-schema.js';

const SETTLED = new Set<TaskState['status']>(['succeeded', 'failed', 'skipped']);

/**
 * Replays journal events into the run's state. The journal is the source of truth, so this is
 * what both the live run and `coordinate resume` see. Events about an attempt older than the
 * task's newest one are history only: a late result never overrides a newer attempt.
 */
export function rebuildRunState(events: readonly JournalEvent[]): RunState {
  const state: RunState = { tasks: {}, workers: {}, droppedResults: [], usage: emptyUsage() };
  for (const event of events) apply(state, event);
  return state;
}

/** The tasks a resume must still run, in plan order; a task that was running starts over as pending. */
export function pendingTasks(state: RunState): TaskState[] {
  const order = state.run?.tasks.map((t) => t.id) ?? Object.keys(state.tasks);
  return order
    .map((id) => state.tasks[id])
    .filter((task): task is TaskState => task !== undefined && !SETTLED.has(task.status))
    .map(({ workerId: _gone, ...task }) => ({ ...task, status: 'pending' }));
}

function apply(state: RunState, event: JournalEvent): void {
  switch (event.type) {
    case 'run.started':
      // Version 1 journals started a session of their own for each fix round: its tasks join the run.
      if (state.run) return continueSession(state, event.tasks, event.url);
      state.run = {
        runId: event.runId,
        goal: event.goal,
        // A copy: tasks.added grows this list, never the event.
        tasks: [...event.tasks],
        url: event.url,
        workers: event.workers,
        startedAt: event.ts,
        resumes: 0,
        ...(event.baseCommit === undefined ? {} : { baseCommit: event.baseCommit }),
        ...(event.plannerUsage === undefined ? {} : { plannerUsage: event.plannerUsage }),
      };
      if (event.plannerUsage) state.usage = addUsage(state.usage, event.plannerUsage);
      for (const spec of event.tasks) taskOf(state, spec.id);
      return;
    case 'run.resumed':
      if (!state.run) return;
      state.run.url = event.url;
      state.run.resumes++;
      delete state.run.finished;
      return;
    case 'tasks.added':
      return addTasks(state, event.tasks);
    case 'run.finished': {
      const { type: _type, ...finished } = event;
      if (state.run) state.run.finished = finished;
      return;
    }
    case 'worker.joined':
      state.workers[event.workerId] = { workerId: event.workerId, pid: event.pid, remote: event.remote, lost: false };
      return;
    case 'worker.lost': {
      const worker = (state.workers[event.workerId] ??= { workerId: event.workerId, lost: false });
      worker.lost = true;
      worker.reason = event.reason;
      return;
    }
    case 'task.queued':
      taskOf(state, event.taskId).status = 'queued';
      return;
    case 'task.assigned':
    case 'task.started':
      return handOut(taskOf(state, event.taskId), event);
    case 'task.finished':
      return finish(state, event);
    case 'task.failed':
      return fail(taskOf(state, event.taskId), event);
    case 'task.retried':
      return retry(taskOf(state, event.taskId), event);
    case 'task.skipped': {
      const task = taskOf(state, event.taskId);
      task.status = 'skipped';
      task.reason = event.reason;
      delete task.workerId;
      return;
    }
    case 'result.dropped':
      state.droppedResults.push({ taskId: event.taskId, attempt: event.attempt, workerId: event.workerId, reason: event.reason });
      return;
    case 'task.progress':
      if (event.usage) spend(state, event.taskId, event.attempt, event.usage);
      return;
    case 'tool.denied':
    case 'lease.taken':
    case 'lease.denied':
    case 'lease.released': // leases matter while the run runs; the report reads them from the events
    case 'watch.tick': // this and watch.budget are the watcher's own journal; a run's never holds them
    case 'watch.budget':
      return;
  }
}

function addTasks(state: RunState, tasks: readonly TaskSpec[]): void {
  if (!state.run) return;
  for (const spec of tasks) {
    if (state.run.tasks.some((known) => known.id === spec.id)) continue;
    state.run.tasks.push(spec);
    taskOf(state, spec.id);
  }
}

function continueSession(state: RunState, tasks: readonly TaskSpec[], url: string): void {
  addTasks(state, tasks);
  state.run!.url = url;
  delete state.run!.finished;
}

function taskOf(state: RunState, taskId: string): TaskState {
  return (state.tasks[taskId] ??= { taskId, status: 'pending', attempt: 0, attempts: [], usage: emptyUsage() });
}

function attemptOf(task: TaskState, attempt: number): AttemptRecord {
  let record = task.attempts.find((a) => a.attempt === attempt);
  if (!record) {
    record = { attempt, status: 'running' };
    task.attempts.push(record);
    task.attempts.sort((a, b) => a.attempt - b.attempt);
  }
  return record;
}

function handOut(task: TaskState, event: JournalEventOf<'task.assigned'> | JournalEventOf<'task.started'>): void {
  if (event.attempt < task.attempt) return;
  task.attempt = event.attempt;
  task.status = 'running';
  task.workerId = event.workerId;
  delete task.reason;
  attemptOf(task, event.attempt).workerId = event.workerId;
}

function finish(state: RunState, event: JournalEventOf<'task.finished'>): void {
  const task = taskOf(state, event.taskId);
  const { result } = event;
  // Tokens were spent whether or not the result still counts.
  spend(state, event.taskId, event.attempt, result.usage);
  const record = attemptOf(task, event.attempt);
  record.result = result;
  if (event.attempt < task.attempt || record.status === 'abandoned') {
    record.stale = true;
    return;
  }
  task.attempt = event.attempt;
  // An attempt a budget, an outage or a person stopped is no verdict: the task waits for a resume.
  const stopped = result.error !== undefined && stopOutcomeOf(rebuildError(result.error).exit) !== undefined;
  record.status = stopped ? 'interrupted' : result.outcome;
  task.status = stopped ? 'interrupted' : result.outcome;
  task.result = result;
  delete task.workerId;
  if (result.outcome === 'failed') task.reason = result.error?.message ?? result.summary;
  else delete task.reason;
}

/**
 * Counts what an attempt reported it spent so far. Progress reports after every request, so an
 * attempt that never sends a result (cancelled, stopped by a budget, its worker lost) still counts.
 */
function spend(state: RunState, taskId: string, attempt: number, reported: Usage): void {
  const task = taskOf(state, taskId);
  const record = attemptOf(task, attempt);
  const { cumulative, added } = usageGrowth(record.usage, reported);
  record.usage = cumulative;
  task.usage = addUsage(task.usage, added);
  state.usage = addUsage(state.usage, added);
}

function fail(task: TaskState, event: JournalEventOf<'task.failed'>): void {
  if (event.attempt < task.attempt) return;
  const record = attemptOf(task, event.attempt);
  record.status = 'failed';
  record.reason = event.error.message;
  delete task.workerId;
  task.reason = event.error.message;
  // Only a final failure settles the task; one that will be retried leaves it for the next attempt.
  task.status = event.willRetry ? 'pending' : 'failed';
}

function retry(task: TaskState, event: JournalEventOf<'task.retried'>): void {
  if (event.attempt < task.attempt) return;
  const record = attemptOf(task, event.attempt);
  if (record.status === 'running') record.status = 'abandoned';
  record.reason ??= event.reason;
  task.status = 'pending';
  delete task.workerId;
  delete task.result;
  delete task.reason;
}
