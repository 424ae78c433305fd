import type { MergeConflictContext, TaskResultBody, TaskSpec } from '@coordinate/protocol';
import type { GrowthReason, JournalEvent } from '../journal/index.js';
import { MergeConflictData } from './errors.js';

/** Resolution tasks one planned task's conflicts may add in a chain (a resolution can conflict too). */
const MAX_RESOLUTIONS = 3;

/** The id of the `n`th resolution task of `taskId`'s conflicts. */
const resolutionId = (taskId: string, n: number) => `${taskId.slice(0, 54)}-resolve${n}`;

/** The conflict a failed attempt's result carries, or undefined when it did not conflict (or the data is unreadable). */
export function conflictOfResult(result: TaskResultBody | undefined): MergeConflictContext | undefined {
  if (result?.error?.code !== 'merge_conflict') return undefined;
  const data = MergeConflictData.safeParse(result.error.data);
  return data.success ? data.data.context : undefined;
}

/**
 * The resolution task that takes over an implementation whose change conflicted at merge: an
 * implementation on the run-branch head (it depends on what the conflicting task depended on) whose
 * job is to combine both sides so that both intents survive. What it is told of the two sides (the
 * merged work and the conflicting patch) reaches its prompt as the conflict context; its
 * instructions carry the original task's, so the intent is never lost. Undefined for anything but a
 * merge conflict, or once `MAX_RESOLUTIONS` resolutions of one task's chain have been added.
 */
export function resolutionTaskFor(failed: TaskSpec, result: TaskResultBody | undefined, origins: Map<string, { root: TaskSpec; n: number }>): { task: TaskSpec; reason: GrowthReason } | undefined {
  const conflict = conflictOfResult(result);
  if (failed.role !== 'implement' || !conflict) return undefined;
  const origin = origins.get(failed.id) ?? { root: failed, n: 0 };
  if (origin.n >= MAX_RESOLUTIONS) return undefined;
  const n = origin.n + 1;
  const files = conflict.files.map((file) => `${file.path} (${file.kind})`).join(', ');
  const met = conflict.metTasks.map((task) => task.id).join(', ') || 'work merged meanwhile';
  const task: TaskSpec = {
    id: resolutionId(origin.root.id, n),
    title: `Resolve the merge conflict of ${failed.id}`.slice(0, 200),
    role: 'implement',
    instructions: [
      `The change of task ${failed.id} conflicts with the work of ${met}, already merged into the run branch, in ${files}.`,
      'You start from the run branch as it is now. Combine both sides so that both intents survive: keep the merged work and add what the conflicting change meant to do.',
      `The conflicting change is kept on ${conflict.keptAt}; its patch and what the run branch changed meanwhile are below.`,
      '',
      `The task ${origin.root.id} was asked to:`,
      origin.root.instructions,
    ]
      .join('\n')
      .slice(0, 20_000),
    dependsOn: [...failed.dependsOn],
    files: conflict.files.map((file) => file.path),
    ...(origin.root.acceptance ? { acceptance: origin.root.acceptance } : {}),
    ...(origin.root.commands ? { commands: origin.root.commands } : {}),
  };
  origins.set(task.id, { root: origin.root, n });
  return { task, reason: { kind: 'conflict', after: failed.id, detail: `${failed.id} conflicted in ${files}`.slice(0, 2000) } };
}

/** Which task each resolution took over (conflicting task → resolution), from the journal's `tasks.added` events. */
export function takenOverOf(events: readonly JournalEvent[]): Map<string, string> {
  const takenOver = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'tasks.added' || event.reason.kind !== 'conflict' || !event.reason.after) continue;
    const [resolution] = event.tasks;
    if (resolution) takenOver.set(event.reason.after, resolution.id);
  }
  return takenOver;
}

/** Each resolution's chain (the planned task it resolves for, and its number in the chain), from the journal. */
export function resolutionOriginsOf(events: readonly JournalEvent[], specs: readonly TaskSpec[]): Map<string, { root: TaskSpec; n: number }> {
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  const origins = new Map<string, { root: TaskSpec; n: number }>();
  for (const [from, to] of takenOverOf(events)) {
    const before = origins.get(from) ?? { root: byId.get(from)!, n: 0 };
    if (before.root) origins.set(to, { root: before.root, n: before.n + 1 });
  }
  return origins;
}

/**
 * What each resolution task is told of its conflict, rebuilt from the journal: the last conflict of
 * the task it took over.
 */
export function resolutionContextsOf(events: readonly JournalEvent[]): Map<string, MergeConflictContext> {
  const lastConflict = new Map<string, MergeConflictContext>();
  const contexts = new Map<string, MergeConflictContext>();
  for (const event of events) {
    if (event.type === 'task.finished') {
      const conflict = conflictOfResult(event.result);
      if (conflict) lastConflict.set(event.taskId, conflict);
    } else if (event.type === 'tasks.added' && event.reason.kind === 'conflict' && event.reason.after) {
      const conflict = lastConflict.get(event.reason.after);
      if (conflict && event.tasks[0]) contexts.set(event.tasks[0].id, conflict);
    }
  }
  return contexts;
}
