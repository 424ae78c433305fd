import type { TaskSpec } from '@coordinate/protocol';
import type { RunState } from '../journal/index.js';
import { planFixRound, warrantsFix } from '../verify/index.js';
import { keptEvidenceCheck } from './verdict.js';

/** The implementation tasks a verification checks: every implement task it depends on, directly or not. */
function implementAncestors(verify: TaskSpec, byId: ReadonlyMap<string, TaskSpec>): TaskSpec[] {
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
 * The next fix round after `lastRound` ended with failed verifications: for each one a fix task and
 * a re-verify, or undefined when none failed or the rounds are used up. The work they depend on was
 * merged in an earlier round, so dependencies outside the round are dropped: a runPlan session runs a
 * closed graph, and fix tasks branch from the run branch, where that work already is.
 */
export function nextFixRound(state: RunState, lastRound: readonly TaskSpec[], round: number, maxRounds: number): TaskSpec[] | undefined {
  const byId = new Map((state.run?.tasks ?? []).map((task) => [task.id, task]));
  const tasks: TaskSpec[] = [];
  for (const spec of lastRound) {
    const task = state.tasks[spec.id];
    if (spec.role !== 'verify' || task?.status !== 'failed' || !task.result) continue;
    const implementTasks = implementAncestors(spec, byId).filter((impl) => state.tasks[impl.id]?.status === 'succeeded');
    const check = keptEvidenceCheck(task.result);
    // Only a required command that really failed is something to fix; bad evidence alone is not.
    if (!check || !warrantsFix(check, task.result.commandsRun ?? [])) continue;
    const planned = planFixRound({ failedVerify: spec, result: task.result, implementTasks, round, maxRounds, check });
    if (!planned || planned.tasks.some((t) => byId.has(t.id))) continue;
    tasks.push(...planned.tasks);
  }
  if (tasks.length === 0) return undefined;
  const inRound = new Set(tasks.map((task) => task.id));
  return tasks.map((task) => ({ ...task, dependsOn: task.dependsOn.filter((id) => inRound.has(id)) }));
}

/**
 * Whether a round's failures were all verifications that a fix round took over. Anything else that
 * failed or never ran (skipped) leaves the run failed whatever later rounds do.
 */
export function onlyVerificationsFailed(state: RunState, round: readonly TaskSpec[]): boolean {
  return round.every((spec) => {
    const status = state.tasks[spec.id]?.status;
    return status === 'succeeded' || (status === 'failed' && spec.role === 'verify');
  });
}
