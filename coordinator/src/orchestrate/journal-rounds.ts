import type { TaskSpec } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { rebuildRunState, type RunState } from '../journal/index.js';
import type { RunOutcome } from '@coordinate/protocol';

/** One runPlan session group: the plan itself (round 0), then each fix round. */
export interface Round {
  tasks: TaskSpec[];
  /** How the round's latest session ended; absent while it is unfinished (a crash, or running). */
  outcome?: RunOutcome;
  reason?: string;
}

export interface CombinedRun {
  /** The run as one: every round's tasks, the first start, the last finish. */
  state: RunState;
  rounds: Round[];
  events: JournalEvent[];
}

/**
 * Each fix round is a runPlan session of its own that appends to the run's journal, starting with
 * its own `run.started`. Replayed as one, the state would describe only the last round; this keeps
 * every round's tasks and the run's first start.
 */
export function combineRounds(events: JournalEvent[]): CombinedRun {
  const state = rebuildRunState(events);
  const rounds: Round[] = [];
  let first: Extract<JournalEvent, { type: 'run.started' }> | undefined;
  for (const event of events) {
    if (event.type === 'run.started') {
      first ??= event;
      rounds.push({ tasks: event.tasks });
    } else if (event.type === 'run.resumed' && rounds.length > 0) {
      const current = rounds.at(-1)!;
      delete current.outcome;
      delete current.reason;
    } else if (event.type === 'run.finished' && rounds.length > 0) {
      const current = rounds.at(-1)!;
      current.outcome = event.outcome;
      if (event.reason !== undefined) current.reason = event.reason;
    }
  }
  if (state.run && first) {
    const seen = new Set<string>();
    state.run.tasks = rounds.flatMap((round) => round.tasks).filter((task) => !seen.has(task.id) && seen.add(task.id));
    state.run.goal = first.goal;
    state.run.startedAt = first.ts;
    state.run.workers = first.workers;
    state.run.resumes = events.filter((event) => event.type === 'run.resumed').length;
    if (first.baseCommit !== undefined) state.run.baseCommit = first.baseCommit;
  }
  return { state, rounds, events };
}
