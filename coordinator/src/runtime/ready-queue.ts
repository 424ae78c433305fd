import type { Queue, QueueAddOptions } from 'p-queue';
import { criticalPathRanks } from '@coordinate/plan';
import type { TaskSpec } from '@coordinate/protocol';

/** Which ready task goes first: the one heading the longest remaining chain, or the one ready longest. */
export type OrderingPolicy = 'critical-path' | 'fifo';

type RunFunction = () => Promise<unknown>;
type ReadyQueueOptions = Pick<QueueAddOptions, 'priority' | 'id'>;

/**
 * Priorities for the ready queue. Under critical-path order a task's priority is the weight of the
 * longest chain it starts (its own weight included), so the chain that bounds the makespan never
 * waits behind work that has slack. `weight` is a duration estimate; unknown durations weigh 1.
 */
export function readyPriorities(
  tasks: readonly Pick<TaskSpec, 'id' | 'dependsOn'>[],
  policy: OrderingPolicy,
  weight?: (id: string) => number,
): Map<string, number> {
  if (policy === 'fifo') return new Map(tasks.map((t) => [t.id, 0]));
  return criticalPathRanks(tasks, weight);
}

interface Entry<T> {
  run: T;
  priority: number;
  id: string | undefined;
  seq: number;
}

/**
 * The ready tasks, highest priority first and first-come first among equals. A binary heap, used
 * both as p-queue's queue in a real run and directly by the scheduling simulation, so the two
 * order work identically.
 */
export class ReadyQueue<T = RunFunction> implements Queue<T, QueueAddOptions> {
  #heap: Entry<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  enqueue(run: T, options?: Partial<ReadyQueueOptions>): void {
    this.#heap.push({ run, priority: options?.priority ?? 0, id: options?.id, seq: this.#seq++ });
    this.#up(this.#heap.length - 1);
  }

  dequeue(): T | undefined {
    const heap = this.#heap;
    if (heap.length === 0) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.#down(0);
    }
    return top.run;
  }

  filter(options: Readonly<Partial<ReadyQueueOptions>>): T[] {
    return this.#heap.filter((e) => e.priority === options.priority).sort((a, b) => a.seq - b.seq).map((e) => e.run);
  }

  setPriority(id: string, priority: number): void {
    const entry = this.#heap.find((e) => e.id === id);
    if (!entry) throw new ReferenceError(`no queued task with id "${id}"`);
    this.remove(id);
    this.enqueue(entry.run, { priority, id });
  }

  remove(id: string): void {
    const index = this.#heap.findIndex((e) => e.id === id);
    if (index < 0) return;
    const last = this.#heap.pop()!;
    if (index < this.#heap.length) {
      this.#heap[index] = last;
      this.#down(index);
      this.#up(index);
    }
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
  }

  #up(index: number): void {
    const heap = this.#heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#before(heap[index]!, heap[parent]!)) return;
      [heap[index], heap[parent]] = [heap[parent]!, heap[index]!];
      index = parent;
    }
  }

  #down(index: number): void {
    const heap = this.#heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let best = index;
      if (left < heap.length && this.#before(heap[left]!, heap[best]!)) best = left;
      if (right < heap.length && this.#before(heap[right]!, heap[best]!)) best = right;
      if (best === index) return;
      [heap[index], heap[best]] = [heap[best]!, heap[index]!];
      index = best;
    }
  }
}
