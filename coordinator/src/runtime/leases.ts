import type { CoordinatorMessage, MessageOf, Outgoing, TaskSpec, WorkerMessage } from '@coordinate/protocol';
import type { JournalEvent, NewJournalEvent } from '../journal/events.js';

type LeaseReply = Outgoing<MessageOf<CoordinatorMessage, 'lease.granted' | 'lease.denied'>>;

export interface FileLeasesOptions {
  record(event: NewJournalEvent): void;
  /** The task a lease holder is working on, for the denial's "what it is doing". */
  spec(taskId: string): Pick<TaskSpec, 'title'> | undefined;
}

/**
 * File leases of one run: an implementation task holds each file it writes until its work is
 * merged or the task ends, and a write to a file another running task holds is refused. Leases,
 * denials and releases are journal events (`lease.taken`, `lease.denied`, `lease.released`).
 */
export class FileLeases {
  /** path → the task holding it. */
  readonly #holders = new Map<string, string>();
  /** The latest step of each running task, as the journal's progress summaries name it. */
  readonly #doing = new Map<string, string>();
  /** The latest refusal of each task's attempt: what it would wait for if it ends without the file. */
  readonly #refused = new Map<string, { attempt: number; path: string; holder: string }>();

  constructor(private readonly options: FileLeasesOptions) {}

  /** Answers one `lease.take` from the worker holding the task's current attempt. */
  take(request: Pick<MessageOf<WorkerMessage, 'lease.take'>, 'taskId' | 'attempt' | 'path'>): LeaseReply {
    const { taskId, attempt, path } = request;
    const holder = this.#holders.get(path);
    if (holder === undefined) {
      this.#holders.set(path, taskId);
      this.options.record({ type: 'lease.taken', taskId, attempt, path });
    }
    if (holder === undefined || holder === taskId) return { type: 'lease.granted', path };
    const title = (this.options.spec(holder)?.title ?? holder).slice(0, 200);
    const doing = this.#doing.get(holder)?.slice(0, 500);
    this.options.record({ type: 'lease.denied', taskId, attempt, path, holder });
    return { type: 'lease.denied', path, holder: { taskId: holder, title, ...(doing ? { doing } : {}) } };
  }

  /**
   * Follows the journal, a resumed run's earlier events included (its refusals): a task's leases are released once its result is in (after its merge, which
   * happens before `task.finished` is written), or when it fails or is skipped for good.
   */
  observe(event: JournalEvent): void {
    if (event.type === 'task.progress') this.#doing.set(event.taskId, event.summary);
    if (event.type === 'lease.denied') this.#refused.set(event.taskId, { attempt: event.attempt, path: event.path, holder: event.holder });
    const ended =
      event.type === 'task.finished' || event.type === 'task.skipped' || (event.type === 'task.failed' && !event.willRetry) ? event.taskId : undefined;
    if (ended !== undefined) this.release(ended, event.type === 'task.finished' && event.result.outcome === 'succeeded' ? 'merged' : 'ended');
  }

  /**
   * The latest lease the attempt was refused: an attempt that ends failed after a refusal ended
   * waiting for that file, so it waits for the holder to settle without holding a worker.
   */
  refusal(taskId: string, attempt: number): { path: string; holder: string } | undefined {
    const refused = this.#refused.get(taskId);
    return refused?.attempt === attempt ? { path: refused.path, holder: refused.holder } : undefined;
  }

  /** Releases every lease a task holds. */
  release(taskId: string, why: 'merged' | 'ended'): void {
    this.#doing.delete(taskId);
    const paths = [...this.#holders].filter(([, holder]) => holder === taskId).map(([path]) => path);
    if (paths.length === 0) return;
    for (const path of paths) this.#holders.delete(path);
    this.options.record({ type: 'lease.released', taskId, paths, reason: why });
  }
}
