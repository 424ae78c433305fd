import type { ProgressEvent, Role, TaskSpec, Usage } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { totalTokens } from '../report/format.js';

export interface RunningTask {
  taskId: string;
  attempt: number;
  startedAt: number;
  tokens: number;
  costUsd: number;
  lastTool?: string;
  /** Files the task holds leases on. */
  leases?: number;
}

/** What the live view knows about a run, folded from journal events and tool progress. */
export class ProgressState {
  readonly tasks = new Map<string, { title: string; role: Role }>();
  /** Worker id → the tasks it is running now (usually one). */
  readonly workers = new Map<string, Map<string, RunningTask>>();
  readonly finished = new Set<string>();
  readonly failed = new Set<string>();
  /** Tasks that joined the graph during the run (fix rounds, merge conflicts, `coordinate steer`). */
  readonly added = new Set<string>();
  /** Tasks whose last attempt failed and that wait for, or run, another one. */
  readonly retrying = new Set<string>();
  runId?: string;
  startedAt?: number;
  private finishedCost = 0;
  private finishedTokens = 0;

  constructor(tasks: readonly Pick<TaskSpec, 'id' | 'title' | 'role'>[] = []) {
    this.addTasks(tasks);
  }

  private addTasks(tasks: readonly Pick<TaskSpec, 'id' | 'title' | 'role'>[]) {
    for (const t of tasks) this.tasks.set(t.id, { title: t.title, role: t.role });
  }

  private running(taskId: string): RunningTask | undefined {
    for (const tasks of this.workers.values()) {
      const task = tasks.get(taskId);
      if (task) return task;
    }
    return undefined;
  }

  private release(taskId: string): RunningTask | undefined {
    for (const tasks of this.workers.values()) {
      const task = tasks.get(taskId);
      if (task) {
        tasks.delete(taskId);
        return task;
      }
    }
    return undefined;
  }

  private setUsage(task: RunningTask | undefined, usage: Usage | undefined) {
    if (!task || !usage) return;
    task.tokens = totalTokens(usage);
    task.costUsd = usage.costUsd;
  }

  get costUsd(): number {
    let cost = this.finishedCost;
    for (const tasks of this.workers.values()) for (const t of tasks.values()) cost += t.costUsd;
    return cost;
  }

  get tokens(): number {
    let tokens = this.finishedTokens;
    for (const tasks of this.workers.values()) for (const t of tasks.values()) tokens += t.tokens;
    return tokens;
  }

  apply(event: JournalEvent): void {
    switch (event.type) {
      case 'run.started':
        this.runId = event.runId;
        // the clock counts from the run's first start, whatever joins it later
        this.startedAt ??= event.ts;
        this.addTasks(event.tasks);
        return;
      case 'tasks.added':
        this.addTasks(event.tasks);
        for (const task of event.tasks) this.added.add(task.id);
        // a conflicting task taken over by a resolution has not failed: its work goes on in the resolution
        if (event.reason.kind === 'conflict' && event.reason.after) this.failed.delete(event.reason.after);
        return;
      case 'worker.joined':
        this.workers.set(event.workerId, this.workers.get(event.workerId) ?? new Map<string, RunningTask>());
        return;
      case 'worker.lost':
        this.workers.delete(event.workerId);
        return;
      case 'task.assigned':
      case 'task.started': {
        this.release(event.taskId);
        const tasks = this.workers.get(event.workerId) ?? new Map<string, RunningTask>();
        this.workers.set(event.workerId, tasks);
        tasks.set(event.taskId, { taskId: event.taskId, attempt: event.attempt, startedAt: event.ts, tokens: 0, costUsd: 0 });
        return;
      }
      case 'task.progress':
        this.setUsage(this.running(event.taskId), event.usage);
        return;
      case 'task.finished': {
        this.release(event.taskId);
        this.finishedCost += event.result.usage.costUsd;
        this.finishedTokens += totalTokens(event.result.usage);
        this.retrying.delete(event.taskId);
        this.finished.add(event.taskId);
        if (event.result.outcome === 'failed') this.failed.add(event.taskId);
        return;
      }
      case 'task.failed': {
        // the failed attempt's spending is real even though no result carries it
        const spent = this.release(event.taskId);
        this.finishedCost += spent?.costUsd ?? 0;
        this.finishedTokens += spent?.tokens ?? 0;
        if (event.willRetry) {
          // a failed verdict that is retried is not the task's end
          this.retrying.add(event.taskId);
          this.finished.delete(event.taskId);
          this.failed.delete(event.taskId);
        } else {
          this.retrying.delete(event.taskId);
          this.finished.add(event.taskId);
          this.failed.add(event.taskId);
        }
        return;
      }
      case 'task.skipped':
        this.finished.add(event.taskId);
        return;
      case 'lease.taken': {
        const task = this.running(event.taskId);
        if (task) task.leases = (task.leases ?? 0) + 1;
        return;
      }
      default:
        return;
    }
  }

  applyTool(taskId: string, event: ProgressEvent, usage?: Usage): void {
    const task = this.running(taskId);
    if (!task) return;
    if (event.kind === 'tool_call' || event.kind === 'denied') task.lastTool = event.tool;
    this.setUsage(task, usage);
  }
}
