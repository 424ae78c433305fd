import type { TaskSpec } from '@coordinate/protocol';
import { PlanError, type PlanProblem } from './errors.js';

type GraphTask = Pick<TaskSpec, 'id' | 'dependsOn'> & Partial<Pick<TaskSpec, 'role'>>;

export interface GraphCheckOptions {
  /** Require every implement task to be reached by some verify task (a planner rule, not a runtime one). */
  requireVerification?: boolean;
}

/** Everything wrong with a task graph, named; an empty list means it can run. */
export function findPlanProblems(tasks: readonly GraphTask[], options: GraphCheckOptions = {}): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const ids = new Set<string>();
  for (const task of tasks) {
    if (ids.has(task.id)) problems.push({ kind: 'duplicate_id', id: task.id });
    ids.add(task.id);
  }
  for (const task of tasks) {
    for (const dep of task.dependsOn) {
      if (dep === task.id) problems.push({ kind: 'self_dependency', id: task.id });
      else if (!ids.has(dep)) problems.push({ kind: 'unknown_dependency', id: task.id, dependsOn: dep });
    }
  }
  for (const cycle of findCycles(tasks)) problems.push({ kind: 'cycle', ids: cycle });
  if (options.requireVerification) {
    const verified = verifiedTasks(tasks);
    for (const task of tasks) {
      if (task.role === 'implement' && !verified.has(task.id)) problems.push({ kind: 'unverified_implementation', id: task.id });
    }
  }
  return problems;
}

export function assertValidGraph(tasks: readonly GraphTask[], options: GraphCheckOptions = {}): void {
  const problems = findPlanProblems(tasks, options);
  if (problems.length > 0) throw new PlanError(problems);
}

/** Cycles among known ids (self-loops are reported separately). Iterative, so a deep chain cannot overflow the stack. */
function findCycles(tasks: readonly GraphTask[]): string[][] {
  const deps = new Map(tasks.map((t) => [t.id, t.dependsOn.filter((d) => d !== t.id)]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  for (const start of deps.keys()) {
    if (state.has(start)) continue;
    const path: string[] = [];
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'open');
    path.push(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const children = deps.get(frame.id) ?? [];
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        if (!deps.has(child)) continue;
        const seen = state.get(child);
        if (seen === 'open') cycles.push(path.slice(path.indexOf(child)));
        else if (seen === undefined) {
          state.set(child, 'open');
          path.push(child);
          stack.push({ id: child, next: 0 });
        }
      } else {
        state.set(frame.id, 'done');
        path.pop();
        stack.pop();
      }
    }
  }
  return cycles;
}

/** Ids of tasks that some verify task depends on, directly or through other tasks. */
function verifiedTasks(tasks: readonly GraphTask[]): Set<string> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const reached = new Set<string>();
  const stack = tasks.filter((t) => t.role === 'verify').flatMap((t) => t.dependsOn);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return reached;
}

/**
 * Longest path, in summed weight, from each task to the end of the graph (its own weight included).
 * Scheduling ready tasks by this rank keeps the critical path moving. The graph must be valid.
 */
export function criticalPathRanks(tasks: readonly GraphTask[], weight: (id: string) => number = () => 1): Map<string, number> {
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const task of tasks) for (const dep of task.dependsOn) dependents.get(dep)?.push(task.id);
  const rank = new Map<string, number>();
  for (const id of topologicalOrder(tasks).reverse()) {
    const tail = Math.max(0, ...(dependents.get(id) ?? []).map((d) => rank.get(d) ?? 0));
    rank.set(id, weight(id) + tail);
  }
  return rank;
}

/** Ids in an order where every task comes after its dependencies (Kahn's algorithm, stable by plan order). */
export function topologicalOrder(tasks: readonly GraphTask[]): string[] {
  const indegree = new Map(tasks.map((t) => [t.id, t.dependsOn.length]));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const task of tasks) for (const dep of task.dependsOn) dependents.get(dep)?.push(task.id);
  const queue = tasks.filter((t) => t.dependsOn.length === 0).map((t) => t.id);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
  if (order.length !== tasks.length) throw new PlanError(findPlanProblems(tasks));
  return order;
}

/** Groups tasks into waves: each wave depends only on earlier ones, so a wave's tasks can run in parallel. */
export function waves(tasks: readonly GraphTask[]): string[][] {
  const level = new Map<string, number>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  for (const id of topologicalOrder(tasks)) {
    const deps = byId.get(id)!.dependsOn;
    level.set(id, deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => level.get(d)!)));
  }
  const result: string[][] = [];
  for (const [id, l] of level) (result[l] ??= []).push(id);
  return result;
}

/** The ids along the longest chain of the graph, first to last. */
export function criticalPath(tasks: readonly GraphTask[], weight: (id: string) => number = () => 1): string[] {
  const rank = criticalPathRanks(tasks, weight);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, string[]>(tasks.map((t) => [t.id, []]));
  for (const task of tasks) for (const dep of task.dependsOn) dependents.get(dep)?.push(task.id);
  const best = (ids: string[]) => ids.reduce<string | undefined>((a, b) => (a === undefined || rank.get(b)! > rank.get(a)! ? b : a), undefined);
  const path: string[] = [];
  let current = best(tasks.filter((t) => t.dependsOn.length === 0).map((t) => t.id));
  while (current !== undefined && byId.has(current)) {
    path.push(current);
    current = best(dependents.get(current) ?? []);
  }
  return path;
}
