import { sanitizeDeep } from '../display/sanitize.js';
import { criticalPath, declaredDependencies, findOverlaps, serializationCost, waves, type Plan } from '@coordinate/plan';
import { formatTokens, formatUsd } from '../report/format.js';
import { createStyle } from '../report/style.js';
import { ESTIMATE_ASSUMPTIONS, type PlanCostEstimate } from './estimate.js';

export interface PlanGraphOptions {
  estimate?: PlanCostEstimate;
  /** The run's budgets: a warning is shown when the estimate's upper end passes one. */
  budgets?: { maxCostUsd?: number | undefined; maxTokens?: number | undefined };
  color?: boolean;
}

/** Warnings for budgets the estimate's upper end passes: the run may stop before it finishes. */
export function budgetWarnings(estimate: PlanCostEstimate, budgets: NonNullable<PlanGraphOptions['budgets']>): string[] {
  const warnings: string[] = [];
  if (budgets.maxCostUsd !== undefined && estimate.highUsd !== undefined && estimate.highUsd > budgets.maxCostUsd) {
    warnings.push(`Warning: the estimate reaches ${formatUsd(estimate.highUsd)}, over the cost budget of ${formatUsd(budgets.maxCostUsd)}; the run may stop before it finishes (raise --max-cost, or make the plan smaller).`);
  }
  const highTokens = estimate.tokens * ESTIMATE_ASSUMPTIONS.range.high;
  if (budgets.maxTokens !== undefined && highTokens > budgets.maxTokens) {
    warnings.push(`Warning: the estimate reaches ${formatTokens(highTokens)} tokens, over the budget of ${formatTokens(budgets.maxTokens)}; the run may stop before it finishes (raise --max-tokens, or make the plan smaller).`);
  }
  return warnings;
}

export function formatEstimate(estimate: PlanCostEstimate): string {
  const size = `~${formatTokens(estimate.tokens)} tokens`;
  if (estimate.costUsd === undefined) {
    return `Estimate: ${size}; cost unknown (no price for ${estimate.unpricedModels.join(', ')}: add it under "pricing" in .coordinate/config.json)`;
  }
  const planning = estimate.spent && estimate.spent.costUsd > 0 ? `, ${formatUsd(estimate.spent.costUsd)} of it spent planning` : '';
  const source = estimate.calibratedRoles.length > 0 ? ` (${estimate.calibratedRoles.join(', ')} tasks priced from this repository's past runs)` : '';
  return `Estimate: ~${formatUsd(estimate.costUsd)} (${formatUsd(estimate.lowUsd!)} to ${formatUsd(estimate.highUsd!)}), ${size}${planning}${source}`;
}

/**
 * The plan as a person reviews it: waves of tasks that can run at the same time, the critical
 * path marked with ★ (the chain that decides how long the run takes), and what each task waits for.
 */
export function renderPlanGraph(raw: Plan, options: PlanGraphOptions = {}): string {
  const plan = sanitizeDeep(raw);
  const style = createStyle(options.color ?? false);
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const critical = new Set(criticalPath(plan.tasks));
  const idWidth = Math.max(...plan.tasks.map((t) => t.id.length));
  const lines = [style.bold(`Plan: ${plan.goal}`)];
  if (plan.summary.trim() !== '') lines.push(...plan.summary.trim().split('\n').map((l) => `  ${l}`));

  waves(plan.tasks).forEach((wave, i) => {
    lines.push('', style.bold(`Wave ${i + 1}`) + style.dim(wave.length > 1 ? ` (${wave.length} tasks in parallel)` : ''));
    for (const id of wave) {
      const task = byId.get(id)!;
      const mark = critical.has(id) ? style.yellow('★') : ' ';
      const declared = declaredDependencies(plan, task);
      const after = declared.length > 0 ? style.dim(`  ← ${declared.join(', ')}`) : '';
      lines.push(`  ${mark} ${style.cyan(id.padEnd(idWidth))}  ${`[${task.role}]`.padEnd(11)} ${task.title}${after}`);
      // what will run, one line each, so the approval is of the work and not only its titles
      const indent = ' '.repeat(idWidth + 18);
      const details: [string, string | readonly string[] | undefined][] = [
        ['does', task.instructions.split('\n')[0]],
        ['accept', task.acceptance],
        ['runs', task.commands],
        ['files', task.files],
        ['waits', (plan.serialized ?? []).filter((w) => w.task === id).map((w) => `for ${w.waitsFor}: ${w.reason}`)],
      ];
      for (const [label, value] of details) {
        const text = Array.isArray(value) ? value.join('; ') : (value as string | undefined);
        if (text) lines.push(style.dim(`${indent}${label.padEnd(7)}${text}`));
      }
    }
  });

  lines.push('', `${style.yellow('★')} critical path: ${[...critical].join(' → ')} (${critical.size} of ${plan.tasks.length} tasks)`);
  lines.push(...overlapLines(plan));
  if (options.estimate) lines.push(formatEstimate(options.estimate), ...budgetWarnings(options.estimate, options.budgets ?? {}).map((w) => style.yellow(w)));
  if (plan.risks && plan.risks.length > 0) lines.push('', 'Risks:', ...plan.risks.map((r) => `  - ${r}`));
  return lines.join('\n');
}

/**
 * What overlapping write sets did to the plan: the waits added and the critical path they cost,
 * and overlaps left to run in parallel (a person removed the wait), which file leases guard.
 */
function overlapLines(plan: Plan): string[] {
  const lines: string[] = [];
  const waits = plan.serialized?.length ?? 0;
  if (waits > 0) {
    const { before, after } = serializationCost(plan);
    lines.push(
      `Serialized ${waits} overlapping write${waits === 1 ? '' : 's'}: critical path ${before} → ${after} tasks (delete a "Waits for" item in plan.md to run that pair in parallel).`,
    );
  }
  for (const overlap of findOverlaps(plan.tasks)) {
    lines.push(`Overlap: ${overlap.first} and ${overlap.second} both write ${overlap.files.join(', ')} and may run at once; file leases keep one writer per file.`);
  }
  return lines;
}
