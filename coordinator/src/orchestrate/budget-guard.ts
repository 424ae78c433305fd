import { addUsage, BudgetExceededError, rebuildError, type BudgetName, type ErrorData, type Usage } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { totalTokens } from '../report/index.js';
import type { RunBudgets } from './options.js';

export interface BudgetStop {
  name: BudgetName;
  limit: number;
  reason: string;
}

export interface BudgetGuardOptions {
  budgets: RunBudgets;
  /** What earlier sessions of the run already spent (a resumed run counts it). */
  spent: Usage;
  now: () => number;
  /** Called once, when a budget runs out while tasks are still running (their progress, or the clock). */
  onExhausted(stop: BudgetStop): void;
}

/**
 * The run's budgets, failing closed: usage counts every journaled result plus what running attempts
 * have reported so far, each task is handed only what is left, and the wall clock is a timer.
 */
export class BudgetGuard {
  #settled: Usage;
  readonly #running = new Map<string, Usage>();
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | undefined;
  #stop: BudgetStop | undefined;

  constructor(private readonly options: BudgetGuardOptions) {
    this.#settled = options.spent;
    this.#startedAt = options.now();
    const { timeoutMs } = options.budgets;
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => this.#check(), timeoutMs);
      this.#timer.unref();
    }
  }

  /**
   * Every journal event of the run: finished attempts move from running to settled usage. A budget
   * passed by a finished attempt is left to `shouldStop`, which ends the run with the reason journaled.
   */
  observe(event: JournalEvent): void {
    if (event.type !== 'task.finished') return;
    this.#settled = addUsage(this.#settled, event.result.usage);
    this.#running.delete(event.taskId);
    this.#stop ??= this.#taskStoppedByBudget(event.taskId, event.result.error);
  }

  /** The usage a running attempt reported so far (cumulative for the attempt). */
  progress(taskId: string, usage: Usage | undefined): void {
    if (!usage) return;
    this.#running.set(taskId, usage);
    this.#check();
  }

  used(): Usage {
    return [...this.#running.values()].reduce(addUsage, this.#settled);
  }

  /** Why the run must stop now, naming the budget; undefined while every budget holds. */
  exhausted(): BudgetStop | undefined {
    this.#stop ??= this.#find();
    return this.#stop;
  }

  /** What one more task may spend: the rest of each run budget. Throws nothing; an exhausted budget gives 0. */
  remaining(): { maxTokens?: number; maxCostUsd?: number } {
    const used = this.used();
    const { maxTokens, maxCostUsd } = this.options.budgets;
    return {
      ...(maxTokens !== undefined ? { maxTokens: Math.max(0, maxTokens - totalTokens(used)) } : {}),
      ...(maxCostUsd !== undefined ? { maxCostUsd: Math.max(0, maxCostUsd - used.costUsd) } : {}),
    };
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #check(): void {
    if (this.#stop) return;
    const stop = this.exhausted();
    if (stop) this.options.onExhausted(stop);
  }

  /**
   * A task is handed only what is left of the run budgets, so one that stopped because its next
   * request would pass them shows the run cannot afford another request.
   */
  #taskStoppedByBudget(taskId: string, error: ErrorData | undefined): BudgetStop | undefined {
    const stopped = error && rebuildError(error);
    if (!BudgetExceededError.is(stopped)) return undefined;
    const { budget } = stopped.data;
    const limit = this.options.budgets[budget];
    if (limit === undefined) return undefined;
    return { name: budget, limit, reason: `${taskId} stopped because the rest of the run budget could not pay for its next request (${stopped.message})` };
  }

  #find(): BudgetStop | undefined {
    const { maxTokens, maxCostUsd, timeoutMs } = this.options.budgets;
    const used = this.used();
    const tokens = totalTokens(used);
    if (maxTokens !== undefined && tokens >= maxTokens) {
      return { name: 'maxTokens', limit: maxTokens, reason: `the token budget is used up: ${tokens} of ${maxTokens} tokens spent` };
    }
    if (maxCostUsd !== undefined && used.costUsd >= maxCostUsd) {
      return { name: 'maxCostUsd', limit: maxCostUsd, reason: `the cost budget is used up: $${used.costUsd.toFixed(4)} of $${maxCostUsd} spent` };
    }
    const elapsed = this.options.now() - this.#startedAt;
    if (timeoutMs !== undefined && elapsed >= timeoutMs) {
      return { name: 'timeoutMs', limit: timeoutMs, reason: `the time budget is used up: the run took ${elapsed} ms of ${timeoutMs} ms` };
    }
    return undefined;
  }
}
