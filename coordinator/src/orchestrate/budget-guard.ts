import { addUsage, BudgetExceededError, rebuildError, usageGrowth, type BudgetName, type CoordinatorMessage, type ErrorData, type MessageOf, type Usage, type WorkerMessage } from '@coordinate/protocol';
import type { JournalEvent } from '../journal/events.js';
import { totalTokens } from '../report/index.js';
import type { RunBudgets } from './options.js';

export interface BudgetStop {
  name: BudgetName;
  limit: number;
  reason: string;
}

/** A request to reserve: the attempt, and the request's worst case in tokens and US dollars. */
export type ReserveRequest = Pick<MessageOf<WorkerMessage, 'budget.reserve'>, 'taskId' | 'attempt' | 'tokens' | 'costUsd'>;
/** The answer: granted, unless `refused` names the budget that cannot cover the request. */
export type ReserveDecision = Pick<MessageOf<CoordinatorMessage, 'budget.reply'>, 'refused'>;

export interface BudgetGuardOptions {
  budgets: RunBudgets;
  /** What earlier sessions of the run already spent (a resumed run counts it). */
  spent: Usage;
  now: () => number;
  /** Called once, when a budget runs out while tasks are still running (their progress, or the clock). */
  onExhausted(stop: BudgetStop): void;
}

/** A request's worst case, held from `budget.reserve` until its attempt reports the request's usage. */
interface Reservation {
  tokens: number;
  costUsd: number;
  /** The attempt's request count when it reserved: a higher count means the request was made and reported. */
  requestsBefore: number;
}

const keyOf = (taskId: string, attempt: number) => `${taskId}#${attempt}`;
const money = (usd: number) => `$${usd.toFixed(4)}`;

/**
 * The run's budgets, failing closed. Spending is counted from the journal's events alone (each
 * attempt's progress after every request, then its result), the same source the report uses.
 * Before every model request a task reserves the request's worst case; a reservation is granted
 * only while spent + reserved + the request stays within each budget, so parallel tasks together
 * never pass a budget at the configured prices. The wall clock is a timer.
 */
export class BudgetGuard {
  #spent: Usage;
  readonly #attempts = new Map<string, Usage>();
  readonly #reserved = new Map<string, Reservation>();
  readonly #waiting: { request: ReserveRequest; resolve: (decision: ReserveDecision) => void }[] = [];
  readonly #startedAt: number;
  #timer: NodeJS.Timeout | undefined;
  #stop: BudgetStop | undefined;

  constructor(private readonly options: BudgetGuardOptions) {
    this.#spent = options.spent;
    this.#startedAt = options.now();
    const { timeoutMs } = options.budgets;
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => this.#check(), timeoutMs);
      this.#timer.unref();
    }
  }

  /**
   * Every journal event of the run. Progress and results add what their attempt spent since it last
   * reported and release the attempt's reservation once its request is counted; an attempt that
   * ends any other way releases it too.
   */
  observe(event: JournalEvent): void {
    switch (event.type) {
      case 'task.progress':
        if (event.usage) this.#count(event.taskId, event.attempt, event.usage);
        return this.#check();
      case 'task.finished':
        this.#count(event.taskId, event.attempt, event.result.usage);
        this.#release(keyOf(event.taskId, event.attempt), true);
        this.#stop ??= this.#taskStoppedByBudget(event.taskId, event.result.error);
        return;
      case 'task.failed':
      case 'task.retried':
        return this.#release(keyOf(event.taskId, event.attempt), true);
      default:
        return;
    }
  }

  /**
   * Holds a request's worst case (tokens, US dollars) for the attempt. Granted at once while spent +
   * held + the request fits every budget; refused, naming the budget, when even spent + the request
   * does not fit (no release can make room); otherwise it waits, in order, until running requests
   * report their real usage and free their holds. The caller checks that the asker holds the attempt.
   */
  reserve(request: ReserveRequest): Promise<ReserveDecision> {
    // An attempt makes one request at a time: asking again means its last one is done.
    this.#release(keyOf(request.taskId, request.attempt));
    return new Promise((resolve) => {
      this.#waiting.push({ request, resolve });
      this.#admit();
    });
  }

  /** What the run spent, as the journal tells it. */
  used(): Usage {
    return this.#spent;
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

  /** Stops the clock and refuses every request still waiting: the run is ending. */
  dispose(): void {
    clearTimeout(this.#timer);
    for (const { request, resolve } of this.#waiting.splice(0)) {
      resolve({ refused: { budget: this.#limiting(), reason: `the run ended while the next request of ${request.taskId} waited for the budget` } });
    }
  }

  #count(taskId: string, attempt: number, reported: Usage): void {
    const key = keyOf(taskId, attempt);
    const { cumulative, added } = usageGrowth(this.#attempts.get(key), reported);
    this.#attempts.set(key, cumulative);
    this.#spent = addUsage(this.#spent, added);
    const reservation = this.#reserved.get(key);
    if (reservation && cumulative.requests > reservation.requestsBefore) this.#release(key);
    else this.#admit();
  }

  /** Frees an attempt's hold and drops a request it still has waiting (the attempt ended). */
  #release(key: string, ended = false): void {
    this.#reserved.delete(key);
    if (ended) {
      for (const waiting of this.#waiting.filter((w) => keyOf(w.request.taskId, w.request.attempt) === key)) {
        this.#waiting.splice(this.#waiting.indexOf(waiting), 1);
        waiting.resolve({ refused: { budget: this.#limiting(), reason: 'the attempt ended while its request waited for the budget' } });
      }
    }
    this.#admit();
  }

  /** Answers waiting requests in order: refuses those that can never fit, grants those that fit now. */
  #admit(): void {
    while (this.#waiting.length > 0) {
      const { request, resolve } = this.#waiting[0]!;
      const refused = this.#wouldPass(request, { tokens: 0, costUsd: 0 });
      if (refused) {
        this.#waiting.shift();
        resolve({ refused });
        continue;
      }
      if (this.#wouldPass(request, this.#held())) return;
      this.#waiting.shift();
      const key = keyOf(request.taskId, request.attempt);
      this.#reserved.set(key, { tokens: request.tokens, costUsd: request.costUsd, requestsBefore: this.#attempts.get(key)?.requests ?? 0 });
      resolve({});
    }
  }

  /** The budget a request that waited in vain is refused under: the cost budget when there is one. */
  #limiting(): 'maxTokens' | 'maxCostUsd' {
    return this.options.budgets.maxCostUsd === undefined && this.options.budgets.maxTokens !== undefined ? 'maxTokens' : 'maxCostUsd';
  }

  #held(): { tokens: number; costUsd: number } {
    let tokens = 0;
    let costUsd = 0;
    for (const reservation of this.#reserved.values()) {
      tokens += reservation.tokens;
      costUsd += reservation.costUsd;
    }
    return { tokens, costUsd };
  }

  /** The budget a request would pass on top of what was spent and `held`, in words; undefined when it fits. */
  #wouldPass(request: ReserveRequest, held: { tokens: number; costUsd: number }): ReserveDecision['refused'] {
    const { maxTokens, maxCostUsd } = this.options.budgets;
    const what = held.tokens > 0 || held.costUsd > 0 ? 'spent or held by running requests' : 'spent';
    const tokens = totalTokens(this.#spent) + held.tokens;
    if (maxTokens !== undefined && tokens + request.tokens > maxTokens) {
      const reason = `the run's token budget (maxTokens = ${maxTokens}) cannot cover the next request of ${request.taskId}: ${tokens} tokens ${what}, it may take up to ${request.tokens}`;
      return { budget: 'maxTokens', reason };
    }
    const cost = this.#spent.costUsd + held.costUsd;
    if (maxCostUsd !== undefined && cost + request.costUsd > maxCostUsd) {
      const reason = `the run's cost budget (maxCostUsd = $${maxCostUsd}) cannot cover the next request of ${request.taskId}: ${money(cost)} ${what}, it may cost up to ${money(request.costUsd)}`;
      return { budget: 'maxCostUsd', reason };
    }
    return undefined;
  }

  #check(): void {
    if (this.#stop) return;
    const stop = this.exhausted();
    if (stop) this.options.onExhausted(stop);
  }

  /**
   * A task is handed only what is left of the run budgets and reserves each request against them,
   * so one that stopped because a request could not be covered shows the run cannot afford another.
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
      return { name: 'maxCostUsd', limit: maxCostUsd, reason: `the cost budget is used up: ${money(used.costUsd)} of $${maxCostUsd} spent` };
    }
    const elapsed = this.options.now() - this.#startedAt;
    if (timeoutMs !== undefined && elapsed >= timeoutMs) {
      return { name: 'timeoutMs', limit: timeoutMs, reason: `the time budget is used up: the run took ${elapsed} ms of ${timeoutMs} ms` };
    }
    return undefined;
  }
}
