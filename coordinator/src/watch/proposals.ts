import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPlanMarkdown, type Plan } from '@coordinate/plan';
import { newRunId } from '../cli/run-id.js';
import type { Proposal } from './state.js';

/**
 * Writes a plan the watcher did not carry out (its tier's budget was spent, or the tier is off)
 * as `proposals/<id>/plan.md`, ready for `coordinate run`; the person's run is the approval.
 */
export async function writeProposal(proposalsDir: string, plan: Plan): Promise<Proposal> {
  const id = newRunId();
  const dir = join(proposalsDir, id);
  await mkdir(dir, { recursive: true });
  const planMd = join(dir, 'plan.md');
  await writeFile(planMd, renderPlanMarkdown(plan));
  return { id, goal: plan.goal, planMd, status: 'open' };
}
