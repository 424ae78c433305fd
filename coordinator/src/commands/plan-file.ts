import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePlanMarkdown, PlanMarkdownError, renderPlanMarkdown, type Plan } from '@coordinate/plan';
import { UsageError } from '../cli/errors.js';
import { prepareCoordinateDir } from '../run/coordinate-dir.js';
import type { RunPaths } from '../run/layout.js';

/** A plan file a person wrote or reviewed; its problems come back with line numbers. */
export async function readPlanFile(file: string, cwd: string): Promise<Plan> {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new UsageError(`the plan file ${path} ${reason}`, 'write one with `coordinate plan "task" -o plan.md`');
  }
  try {
    return parsePlanMarkdown(text);
  } catch (error) {
    if (!(error instanceof PlanMarkdownError)) throw error;
    throw new UsageError(`${path}: ${error.message.replace(/^plan\.md /, '')}`, 'fix those lines; the format is described at the top of the file and in docs/plan-format.md');
  }
}

/** plan.md and plan.json of the approved plan, in the run folder: what the run and a resume start from. */
export async function saveApprovedPlan(plan: Plan, paths: Pick<RunPaths, 'root' | 'dir' | 'planMd' | 'planJson'>): Promise<void> {
  await prepareCoordinateDir(paths.root);
  await mkdir(paths.dir, { recursive: true });
  await writeFile(paths.planMd, renderPlanMarkdown(plan));
  await writeFile(paths.planJson, `${JSON.stringify(plan, null, 2)}\n`);
}
