import { ReadyQueue, readyPriorities, type OrderingPolicy } from 'coordinate';
import type { TaskSpec } from '@coordinate/protocol';

type GraphTask = Pick<TaskSpec, 'id' | 'dependsOn'>;

/**
 * Runs a task graph on `workers` identical workers with known durations on a simulated clock,
 * ordering ready tasks with the same queue and priorities a real run uses. Returns the makespan.
 */
export function simulateMakespan(tasks: readonly GraphTask[], duration: ReadonlyMap<string, number>, workers: number, policy: OrderingPolicy): number {
  const weight = (id: string) => duration.get(id)!;
  const priority = readyPriorities(tasks, policy, weight);
  const waitingOn = new Map(tasks.map((t) => [t.id, t.dependsOn.length]));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const t of tasks) for (const dep of t.dependsOn) dependents.get(dep)!.push(t.id);
  const ready = new ReadyQueue<string>();
  const enqueue = (id: string) => ready.enqueue(id, { priority: priority.get(id)!, id });
  for (const t of tasks) if (t.dependsOn.length === 0) enqueue(t.id);
  const running: { id: string; end: number }[] = [];
  let now = 0;
  let free = workers;
  for (;;) {
    while (free > 0 && ready.size > 0) {
      const id = ready.dequeue()!;
      running.push({ id, end: now + weight(id) });
      free--;
    }
    if (running.length === 0) return now;
    // Few workers: a linear scan for the next finish is cheaper than keeping a heap.
    let next = 0;
    for (let i = 1; i < running.length; i++) if (running[i]!.end < running[next]!.end) next = i;
    const [done] = running.splice(next, 1);
    now = done!.end;
    free++;
    for (const id of dependents.get(done!.id)!) {
      const left = waitingOn.get(id)! - 1;
      waitingOn.set(id, left);
      if (left === 0) enqueue(id);
    }
  }
}

/** No schedule can beat the longest chain, nor the total work spread evenly over the workers. */
export function makespanLowerBound(tasks: readonly GraphTask[], duration: ReadonlyMap<string, number>, workers: number): number {
  const ranks = readyPriorities(tasks, 'critical-path', (id) => duration.get(id)!);
  const criticalPath = Math.max(...ranks.values());
  const total = [...duration.values()].reduce((a, b) => a + b, 0);
  return Math.max(criticalPath, total / workers);
}
