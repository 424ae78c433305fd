import { sanitizeDeep } from '../display/sanitize.js';
import { criticalPath, waves, type Plan } from '@coordinate/plan';
import { formatTokens, formatUsd } from '../report/format.js';
import { createStyle } from '../report/style.js';
import type { PlanCostEstimate } from './estimate.js';

export interface PlanGraphOptions {
  estimate?: PlanCostEstimate;
  color?: boolean;
}

export function formatEstimate(estimate: PlanCostEstimate): string {
  const size = `~${formatTokens(estimate.tokens)} tokens`;
  if (estimate.costUsd === undefined) {
    return `Estimate: ${size}; cost unknown (no price for ${estimate.unpricedModels.join(', ')}: add it under "pricing" in .coordinate/config.json)`;
  }
  return `Estimate: ~${formatUsd(estimate.costUsd)} (${formatUsd(estimate.lowUsd!)} to ${formatUsd(estimate.highUsd!)}), ${size}`;
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
      const after = task.dependsOn.length > 0 ? style.dim(`  ← ${task.dependsOn.join(', ')}`) : '';
      lines.push(`  ${mark} ${style.cyan(id.padEnd(idWidth))}  ${`[${task.role}]`.padEnd(11)} ${task.title}${after}`);
    }
  });

  lines.push('', `${style.yellow('★')} critical path: ${[...critical].join(' → ')} (${critical.size} of ${plan.tasks.length} tasks)`);
  if (options.estimate) lines.push(formatEstimate(options.estimate));
  if (plan.risks && plan.risks.length > 0) lines.push('', 'Risks:', ...plan.risks.map((r) => `  - ${r}`));
  return lines.join('\n');
}
