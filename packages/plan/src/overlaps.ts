import picomatch from 'picomatch';
import type { TaskSpec } from '@coordinate/protocol';
import { criticalPath } from './graph.js';
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

/**
 * Serializes overlapping implementation tasks: the later one in plan order waits for the
 * nearest earlier one it overlaps, so three tasks on one file become a chain, not a fan.
 * Each added dependency is recorded in `serialized` with its reason; dependencies the plan
 * already had stay as they were. The graph must be valid (no cycles).
 */
export function serializeOverlaps(plan: Plan): Plan {
  const tasks = plan.tasks.map((t) => ({ ...t, dependsOn: [...t.dependsOn] }));
  const added: Serialization[] = [];
  const writers = tasks.filter((t) => t.role === 'implement' && (t.files?.length ?? 0) > 0);
  writers.forEach((second, j) => {
    const up = ancestors(tasks);
    const mine = up.get(second.id)!;
    for (const first of writers.slice(0, j).reverse()) {
      // a task downstream of `second` already has it among its ancestors, so only `second`'s own set grows here
      if (mine.has(first.id) || up.get(first.id)!.has(second.id)) continue;
      const files = sharedEntries(first.files!, second.files!);
      if (files.length === 0) continue;
      second.dependsOn.push(first.id);
      mine.add(first.id);
      for (const id of up.get(first.id)!) mine.add(id);
      added.push({ task: second.id, waitsFor: first.id, reason: serializationReason(files) });
    }
  });
  if (added.length === 0) return plan;
  return { ...plan, tasks, serialized: [...(plan.serialized ?? []), ...added] };
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
