import { z } from 'zod';
import { defineError } from '@coordinate/protocol';

/**
 * The named stages one attempt of a task goes through, in this order: `queued` (waiting for a
 * worker), `assigned` (a worker holds it, journaled before the worker hears of it), `accepted`
 * (the worker took it), `running` (its first progress arrived), `result` (the worker's result is
 * journaled and acknowledged), `merged` (an implementation's work landed on the run branch) and
 * `recorded` (the task's verdict is journaled: the scheduler may move on). `abandoned` ends an
 * attempt that never reached a result: its worker was lost, the run stopped, or preparing it failed.
 */
export const TaskStage = z.enum(['queued', 'assigned', 'accepted', 'running', 'result', 'merged', 'recorded', 'abandoned']);
export type TaskStage = z.infer<typeof TaskStage>;

/**
 * Every legal move, and no other: stages go one way. `result → recorded` skips the merge of an
 * attempt with nothing to land (research, verification, a failure); `queued → recorded` is an
 * attempt whose preparation failed before any worker held it.
 */
const TRANSITIONS: Readonly<Record<TaskStage, readonly TaskStage[]>> = {
  queued: ['assigned', 'recorded', 'abandoned'],
  assigned: ['accepted', 'abandoned'],
  accepted: ['running', 'abandoned'],
  running: ['result', 'abandoned'],
  result: ['merged', 'recorded'],
  merged: ['recorded'],
  recorded: [],
  abandoned: [],
};

/** A move the table above does not allow: a bug in the caller, never the worker's doing. */
export const StageTransitionError = defineError(
  'illegal_stage_transition',
  z.object({ taskId: z.string(), attempt: z.number().int(), from: TaskStage, to: TaskStage }),
  { retryable: false, exit: 'taskFailed' },
);

/** Where one attempt of a task stands; every move is checked against the transition table. */
export class AttemptStages {
  #stage: TaskStage = 'queued';

  constructor(
    readonly taskId: string,
    readonly attempt: number,
  ) {}

  get stage(): TaskStage {
    return this.#stage;
  }

  /** Whether `to` is a legal next stage from here. */
  can(to: TaskStage): boolean {
    return TRANSITIONS[this.#stage].includes(to);
  }

  /** Moves to `to`; throws StageTransitionError when the table does not allow it. */
  move(to: TaskStage): void {
    if (!this.can(to)) {
      throw new StageTransitionError(`task ${this.taskId} attempt ${this.attempt} cannot move from ${this.#stage} to ${to}`, {
        taskId: this.taskId,
        attempt: this.attempt,
        from: this.#stage,
        to,
      });
    }
    this.#stage = to;
  }

  /**
   * Moves along the main line up to `to`, through every stage between (a result implies the worker
   * accepted and ran the task, even when those messages were lost to a reconnect).
   */
  advanceTo(to: 'accepted' | 'running' | 'result'): void {
    const line: TaskStage[] = ['assigned', 'accepted', 'running', 'result'];
    const from = line.indexOf(this.#stage);
    const target = line.indexOf(to);
    if (from < 0 || target < from) this.move(to);
    for (let i = from + 1; i <= target; i++) this.move(line[i]!);
  }
}
