import { assertValidGraph, PlanError } from '@coordinate/plan';
import type { RunSession, Scheduler } from '../runtime/index.js';
import type { SteerReceipt, SteerRequest } from './request.js';

/**
 * What a live run does with one steer request: a note goes into the conversation of the running
 * tasks it names (all of them when it names none) at their next model turn; a task joins the graph
 * as a journaled `tasks.added` (reason `steer`) once it passes the checks a plan edit passes (unique
 * id, known dependencies, no cycle) and none of its dependencies failed or was skipped.
 */
export function handleSteer(request: SteerRequest, session: RunSession, scheduler: Scheduler): Omit<SteerReceipt, 'id'> {
  if (request.kind === 'note') {
    const reached = session.steer(request.note, request.taskIds);
    if (reached.length === 0) {
      const which = request.taskIds.length > 0 ? `none of ${request.taskIds.join(', ')} is running` : 'no task is running';
      return { status: 'refused', detail: `${which} now, so the note reached nobody` };
    }
    return { status: 'delivered', detail: `the note reaches ${reached.map((r) => r.taskId).join(', ')} at the next model turn` };
  }
  const { task } = request;
  try {
    assertValidGraph([...scheduler.specs(), task]);
  } catch (error) {
    if (!(error instanceof PlanError)) throw error;
    return { status: 'refused', detail: `the task does not fit the plan: ${error.message}`.slice(0, 4000) };
  }
  const blocked = task.dependsOn.filter((id) => ['failed', 'skipped'].includes(scheduler.status(id) ?? ''));
  if (blocked.length > 0) return { status: 'refused', detail: `it depends on ${blocked.join(', ')}, which failed or was skipped, so it could never start` };
  scheduler.addTasks([task], { kind: 'steer', detail: `added by a person: ${task.title}`.slice(0, 2000) });
  if (scheduler.status(task.id) === undefined) return { status: 'refused', detail: 'the run is ending and takes no new tasks' };
  return { status: 'delivered', detail: `task ${task.id} joined the run` };
}
