import { z } from 'zod';
import { Tier } from '@coordinate/tools';
import type { WatchConfig } from '../config/index.js';
import type { Journal } from '../journal/index.js';
import { JsonStore } from './json-store.js';
import { dayOf } from './state.js';

const Spent = z.object({ actions: z.number().int().nonnegative(), usd: z.number().nonnegative() });

/** What the autonomy ledger keeps: today's spending per tier and the earned daily action budgets. */
export const Ledger = z.object({
  day: z.string(),
  spent: z.partialRecord(Tier, Spent).default({}),
  /** Daily action budgets as earned; a tier missing here has its configured budget. */
  earned: z.partialRecord(Tier, z.number().int().nonnegative()).default({}),
});
export type Ledger = z.infer<typeof Ledger>;

export interface BudgetLeft {
  actions: number;
  usd: number;
}

/**
 * Daily budgets of actions and dollars per risk tier, with autonomy earned from outcomes. A tier
 * whose budget is spent degrades its actions to proposals (the caller's job); `adjust` moves a
 * tier's action budget within its configured bounds and journals why.
 */
export class AutonomyLedger {
  private constructor(
    private readonly store: JsonStore<typeof Ledger>,
    private ledger: Ledger,
    private readonly config: WatchConfig['tiers'],
    private readonly journal: Journal,
  ) {}

  static async open(file: string, config: WatchConfig['tiers'], journal: Journal, now: number): Promise<AutonomyLedger> {
    const store = new JsonStore(file, Ledger, () => Ledger.parse({ day: dayOf(now) }));
    return new AutonomyLedger(store, await store.read(), config, journal);
  }

  /** Starts a new day's spending when the date changed; earned budgets carry over. */
  private today(now: number): Ledger {
    const day = dayOf(now);
    if (this.ledger.day !== day) this.ledger = { day, spent: {}, earned: this.ledger.earned };
    return this.ledger;
  }

  budgetOf(tier: Tier): number {
    return this.ledger.earned[tier] ?? this.config[tier].actions;
  }

  left(tier: Tier, now: number): BudgetLeft {
    const spent = this.today(now).spent[tier] ?? { actions: 0, usd: 0 };
    return { actions: Math.max(0, this.budgetOf(tier) - spent.actions), usd: Math.max(0, round(this.config[tier].usd - spent.usd)) };
  }

  /** Takes one action of `tier` when an action and `usd` are left; false leaves the ledger as it was. */
  take(tier: Tier, usd: number, now: number): boolean {
    const left = this.left(tier, now);
    if (left.actions < 1 || left.usd < usd) return false;
    this.spend(tier, 1, usd, now);
    return true;
  }

  /** Counts dollars spent (a triage, a run) against a tier, whether or not an action was taken. */
  spend(tier: Tier, actions: number, usd: number, now: number): void {
    const ledger = this.today(now);
    const spent = ledger.spent[tier] ?? { actions: 0, usd: 0 };
    ledger.spent[tier] = { actions: spent.actions + actions, usd: round(spent.usd + usd) };
  }

  /** Moves `tier`'s daily action budget by `delta` within its bounds; a change is journaled with `reason`. */
  adjust(tier: Tier, delta: number, reason: string): void {
    const { minActions, maxActions } = this.config[tier];
    const from = this.budgetOf(tier);
    const to = Math.min(maxActions, Math.max(minActions, from + delta));
    if (to === from) return;
    this.ledger.earned[tier] = to;
    this.journal.append({ type: 'watch.budget', tier, from, to, reason });
  }

  save(): Promise<void> {
    return this.store.write(this.ledger);
  }
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;
