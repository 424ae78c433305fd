import picomatch from 'picomatch';
import type { TaskSpec } from '@coordinate/protocol';
import { criticalPath, criticalPathRanks, topologicalOrder } from './graph.js';
import type { Plan, Serialization } from './schema.js';

type OverlapTask = Pick<TaskSpec, 'id' | 'role' | 'dependsOn' | 'files'>;

/** Two implementation tasks that may run at the same time and whose declared write sets share paths. */
export interface Overlap {
  first: string;
  second: string;
  /** The entries of the first task's write set that meet the second's (paths or globs, as written). */
  files: string[];
}

/** A write-set entry as a glob: a folder (`src/`) stands for everything under it. */
function asGlob(entry: string): string {
  const path = entry.replace(/^\.\//, '');
  return path.endsWith('/') ? `${path}**` : path;
}

/**
 * Whether two write-set entries can name one file. A path meets a glob it matches; two globs
 * meet when either matches the other's text (`src/**` meets `src/*.js`), which errs towards
 * an overlap: a wait too many costs some parallelism, a missed one costs a conflict.
 */
export function writeSetsMeet(a: string, b: string): boolean {
  const [ga, gb] = [asGlob(a), asGlob(b)];
  if (ga === gb) return true;
  const options = { dot: true };
  return picomatch(ga, options)(gb) || picomatch(gb, options)(ga);
}

function sharedEntries(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => b.some((y) => writeSetsMeet(x, y)));
}

/** For each task, the ids it reaches by following dependencies (its ancestors). */
function ancestors(tasks: readonly OverlapTask[]): Map<string, Set<string>> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const memo = new Map<string, Set<string>>();
  const visit = (id: string): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const set = new Set<string>();
    memo.set(id, set);
    // the graph is checked for cycles before this runs; the memo entry also stops a loop
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      set.add(dep);
      for (const up of visit(dep)) set.add(up);
    }
    return set;
  };
  for (const task of tasks) visit(task.id);
  return memo;
}

/** Implementation tasks with no dependency path between them whose write sets overlap, in plan order. */
export function findOverlaps(tasks: readonly OverlapTask[]): Overlap[] {
  const writers = tasks.filter((t) => t.role === 'implement' && (t.files?.length ?? 0) > 0);
  const up = ancestors(tasks);
  const overlaps: Overlap[] = [];
  writers.forEach((second, j) => {
    for (const first of writers.slice(0, j)) {
      if (up.get(second.id)!.has(first.id) || up.get(first.id)!.has(second.id)) continue;
      const files = sharedEntries(first.files!, second.files!);
      if (files.length > 0) overlaps.push({ first: first.id, second: second.id, files });
    }
  });
  return overlaps;
}

/** The reason a serialization gives, as plan.md and the approval show it. */
export function serializationReason(files: readonly string[]): string {
  return `both write ${files.join(', ')}`;
}

/** The longest chain (in tasks) ending at each task, and the longest starting at it, both counting the task. */
function chainLengths(tasks: readonly OverlapTask[]): { head: Map<string, number>; tail: Map<string, number> } {
  const tail = criticalPathRanks(tasks);
  const head = new Map<string, number>();
  for (const id of topologicalOrder(tasks)) {
    const task = tasks.find((t) => t.id === id)!;
    head.set(id, 1 + Math.max(0, ...task.dependsOn.map((dep) => head.get(dep) ?? 0)));
  }
  return { head, tail };
}

/**
 * Serializes overlapping implementation tasks: of two that may run together and write one file,
 * one waits for the other. The later in plan order waits for the earlier unless the other way
 * round makes the plan's critical path shorter (a short task then waits for a long one instead of
 * stretching its chain), and each task meets its nearest earlier overlap first, so three tasks on
 * one file become a chain, not a fan. Each added dependency is recorded in `serialized` with its
 * reason; dependencies the plan already had stay as they were. The graph must be valid (no cycles).
 */
export function serializeOverlaps(plan: Plan): Plan {
  const tasks = plan.tasks.map((t) => ({ ...t, dependsOn: [...t.dependsOn] }));
  const added: Serialization[] = [];
  const writers = tasks.filter((t) => t.role === 'implement' && (t.files?.length ?? 0) > 0);
  writers.forEach((second, j) => {
    for (const first of writers.slice(0, j).reverse()) {
      const up = ancestors(tasks);
      if (up.get(second.id)!.has(first.id) || up.get(first.id)!.has(second.id)) continue;
      const files = sharedEntries(first.files!, second.files!);
      if (files.length === 0) continue;
      const { head, tail } = chainLengths(tasks);
      const longest = Math.max(...tail.values());
      const inOrder = Math.max(longest, head.get(first.id)! + tail.get(second.id)!);
      const reversed = Math.max(longest, head.get(second.id)! + tail.get(first.id)!);
      const [waiter, holder] = reversed < inOrder ? [first, second] : [second, first];
      waiter.dependsOn.push(holder.id);
      added.push({ task: waiter.id, waitsFor: holder.id, reason: serializationReason(files) });
    }
  });
  const needed = added.filter((wait) => !impliedElsewhere(tasks, wait));
  if (needed.length === 0) return plan;
  return { ...plan, tasks, serialized: [...(plan.serialized ?? []), ...needed] };
}

/** Drops an added wait that a later one made redundant (its task reaches the holder another way); true when dropped. */
function impliedElsewhere(tasks: OverlapTask[], wait: Serialization): boolean {
  const task = tasks.find((t) => t.id === wait.task)!;
  const others = task.dependsOn.filter((dep) => dep !== wait.waitsFor);
  const up = ancestors(tasks);
  if (!others.some((dep) => dep === wait.waitsFor || up.get(dep)!.has(wait.waitsFor))) return false;
  task.dependsOn = others;
  return true;
}

/** The dependencies a person or the planner wrote, without the waits that serialization added. */
export function declaredDependencies(plan: Pick<Plan, 'serialized'>, task: Pick<TaskSpec, 'id' | 'dependsOn'>): string[] {
  const waits = new Set((plan.serialized ?? []).filter((s) => s.task === task.id).map((s) => s.waitsFor));
  return task.dependsOn.filter((dep) => !waits.has(dep));
}

/**
 * What serialization cost in parallelism: the number of tasks on the critical path with only
 * the declared dependencies (`before`) and with the added waits too (`after`).
 */
export function serializationCost(plan: Plan): { before: number; after: number } {
  const declared = plan.tasks.map((t) => ({ id: t.id, dependsOn: declaredDependencies(plan, t) }));
  return { before: criticalPath(declared).length, after: criticalPath(plan.tasks).length };
}
