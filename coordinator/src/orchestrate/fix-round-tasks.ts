import type { TaskResultBody, TaskSpec } from '@coordinate/protocol';
import type { GrowthReason, JournalEvent, RunState } from '../journal/index.js';
import type { GraphView } from '../runtime/index.js';
import { planFixRound, warrantsFix } from '../verify/index.js';
import { takenOverOf } from './conflict-resolution.js';
import { keptEvidenceCheck } from './verdict.js';

/** The implementation tasks a verification checks: every implement task it depends on, directly or not. */
function implementAncestors(verify: TaskSpec, byId: Pick<ReadonlyMap<string, TaskSpec>, 'get'>): TaskSpec[] {
  const found = new Map<string, TaskSpec>();
  const stack = [...verify.dependsOn];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const spec = byId.get(id);
    if (!spec) continue;
    if (spec.role === 'implement') found.set(id, spec);
    stack.push(...spec.dependsOn);
  }
  return [...found.values()];
}

/**
 * The tasks whose work a verification passed: every verify task that succeeded, and the
 * implementation tasks it checked. Only their commands are worth remembering as procedures.
 */
export function verifiedTaskIds(state: RunState): Set<string> {
  const specs = state.run?.tasks ?? [];
  const byId = new Map(specs.map((spec) => [spec.id, spec]));
  const passed = (id: string) => state.tasks[id]?.status === 'succeeded';
  const verified = new Set<string>();
  for (const verify of specs) {
    if (verify.role !== 'verify' || !passed(verify.id)) continue;
    verified.add(verify.id);
    for (const impl of implementAncestors(verify, byId)) if (passed(impl.id)) verified.add(impl.id);
  }
  return verified;
}

/**
 * The fix and re-verify that take over a verification that failed for good, as tasks added to the
 * running graph with their reason; undefined for anything but a failed verification, or once its
 * chain has used `maxRounds`. `roundOf` says which fix round made a re-verify (absent: the plan's own).
 */
export function fixTasksAfter(
  failed: TaskSpec,
  result: TaskResultBody | undefined,
  graph: GraphView,
  roundOf: ReadonlyMap<string, number>,
  maxRounds: number,
): { tasks: TaskSpec[]; reason: GrowthReason } | undefined {
  if (failed.role !== 'verify' || !result) return undefined;
  const round = (roundOf.get(failed.id) ?? 0) + 1;
  const byId = { get: (id: string) => graph.spec(id) };
  const implementTasks = implementAncestors(failed, byId).filter((impl) => graph.succeeded(impl.id));
  const check = keptEvidenceCheck(result);
  // Only a required command that really failed is something to fix; bad evidence alone is not.
  if (!check || !warrantsFix(check, result.commandsRun ?? [])) return undefined;
  const planned = planFixRound({ failedVerify: failed, result, implementTasks, round, maxRounds, check });
  if (!planned || planned.tasks.some((task) => graph.spec(task.id))) return undefined;
  return { tasks: planned.tasks, reason: { kind: 'fix', after: failed.id, round, detail: result.summary.slice(0, 2000) } };
}

/** The fix round that added each re-verify, from the journal's `tasks.added` events. */
export function fixRoundsOf(events: readonly JournalEvent[]): Map<string, number> {
  const rounds = new Map<string, number>();
  for (const event of events) {
    if (event.type !== 'tasks.added' || event.reason.kind !== 'fix' || event.reason.round === undefined) continue;
    for (const task of event.tasks) if (task.role === 'verify') rounds.set(task.id, event.reason.round);
  }
  return rounds;
}

/**
 * The run's outcome once its graph settled: a failed verification counts as made up for only when
 * fix tasks took it over, a conflicting implementation only when a resolution task took it over
 * (and they, in turn, succeeded or were taken over); anything else that
 * failed or was skipped leaves the run failed.
 */
export function settledOutcome(state: RunState, events: readonly JournalEvent[]): 'succeeded' | 'failed' {
  const fixed = new Set(events.flatMap((event) => (event.type === 'tasks.added' && event.reason.kind === 'fix' && event.reason.after ? [event.reason.after] : [])));
  const resolved = takenOverOf(events);
  const specs = state.run?.tasks ?? [];
  const fine = specs.every((spec) => {
    const status = state.tasks[spec.id]?.status;
    const takenOver = (spec.role === 'verify' && fixed.has(spec.id)) || resolved.has(spec.id);
    return status === 'succeeded' || (status === 'failed' && takenOver);
  });
  return fine ? 'succeeded' : 'failed';
}
