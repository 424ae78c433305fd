import type { JournalEvent } from '../journal/events.js';

/**
 * The attempt numbers the scheduler reserved by queuing tasks (`task.queued` with its `attempt`),
 * each on disk before any worker hears of it, so a resume after a crash never hands one out again.
 * The reservations of one event-loop turn share one group-committed sync, started at the end of the
 * turn, while the tasks wait for a worker: an assignment then has nothing left to wait for on disk
 * unless the task was queued in the same moment a worker was free.
 */
export class AttemptReservations {
  /** Each queued task's reserved attempt and the sync that puts it on disk. */
  readonly #reserved = new Map<string, { attempt: number; onDisk: Promise<void> }>();
  /** The sync of this turn's reservations, started once the turn ends. */
  #turn: Promise<void> | undefined;

  /** @param durable resolves once every event journaled so far is on disk (the journal's group commit). */
  constructor(private readonly durable: () => Promise<void>) {}

  /** Takes note of a reservation as the event is journaled. */
  observe(event: JournalEvent): void {
    if (event.type !== 'task.queued' || event.attempt === undefined) return;
    this.#turn ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#turn = undefined;
      return this.durable();
    });
    // A failed sync is reported to whoever assigns the attempt (`onDisk`), not as an unhandled rejection here.
    this.#turn.catch(() => undefined);
    this.#reserved.set(event.taskId, { attempt: event.attempt, onDisk: this.#turn });
  }

  /**
   * Resolves once `attempt` of the task is reserved on disk: at once, in the usual case of a task
   * that waited for its worker. An attempt never reserved waits for everything journaled so far.
   * Rejects with the journal's `write_failed` when the disk refused.
   */
  onDisk(taskId: string, attempt: number): Promise<void> {
    const reserved = this.#reserved.get(taskId);
    if (reserved?.attempt !== attempt) return this.durable();
    this.#reserved.delete(taskId);
    return reserved.onDisk;
  }
}
