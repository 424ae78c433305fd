import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { renderPlanMarkdown } from '@coordinate/plan';
import { describeConfigInForce, renderPlanGraph } from '../approval/index.js';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { ExitCode } from '@coordinate/protocol';
import { checkModelEndpoint } from '../preflight/index.js';
import { whileWaiting } from '../progress/index.js';
import { colorEnabled } from '../report/index.js';
import { defineFlags, flag } from '../cli/flags.js';
import { cwdFlag, planningFlags, settingsOf } from './options.js';
import { resolveRepoRoot } from './repo-root.js';
import { planEstimator } from './plan-estimate.js';
import { loadSettings, roleModels } from './settings.js';

/** The settings planning reads (no workers, no run timeout: nothing runs), plus where plan.md goes. */
const PlanFlags = defineFlags({
  output: flag('-o, --output <file>', 'write plan.md to this file (default: print it on stdout)'),
  ...planningFlags,
  cwd: cwdFlag,
});

/**
 * `coordinate plan "task" [-o plan.md]`: the plan alone, for review (in a pull request, say).
 * With -o it goes to the file; without, plan.md goes to stdout and the graph to stderr.
 */
export function registerPlanCommand(program: Command, context: CliContext, done: (code: number) => void): void {
  PlanFlags.declare(
    program
      .command('plan')
      .description('draft a plan for a task and write it as plan.md, without running it')
      .argument('<task>', 'what to do, in words'),
  ).action(async (goal: string, raw: unknown) => {
    const flags = PlanFlags.read(raw);
    if (goal.trim() === '') throw new UsageError('the task is empty', 'describe what to do, e.g. coordinate plan "add a --verbose flag" -o plan.md');
    const repoRoot = await resolveRepoRoot(flags.cwd, context.cwd);
    const { settings, inForce } = await loadSettings(repoRoot, settingsOf(flags), context.env);
    await checkModelEndpoint({ env: context.env });
    const info = flags.output ? context.stdout : context.stderr;
    for (const line of describeConfigInForce(inForce)) info.write(`${line}\n`);
    const { createRunPlanner } = await import('./approve-step.js');
    const planner = createRunPlanner({ context, repoRoot, goal: goal.trim(), settings });
    const plan = await whileWaiting(`Planning with ${roleModels(settings).planner}…`, { stream: info, isTTY: Boolean(info.isTTY), env: context.env }, () => planner.draft());
    const estimate = (await planEstimator(repoRoot, settings))(plan, planner.usage);
    info.write(`\n${renderPlanGraph(plan, { estimate, budgets: settings.budgets, color: colorEnabled(context.env, Boolean(info.isTTY)) })}\n\n`);
    if (flags.output) {
      const file = resolve(context.cwd, flags.output);
      await writeFile(file, renderPlanMarkdown(plan));
      info.write(`Wrote ${file}. Review or edit it, then run it with: coordinate run ${flags.output}\n`);
    } else {
      context.stdout.write(renderPlanMarkdown(plan));
    }
    done(ExitCode.ok);
  });
}
