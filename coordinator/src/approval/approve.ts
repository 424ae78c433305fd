import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { parsePlanMarkdown, PlanMarkdownError, renderPlanMarkdown, type Plan } from '@coordinate/plan';
import { CoordinateError } from '@coordinate/protocol';
import type { TerminalStream } from '../cli/context.js';
import { wrapFor } from '../cli/wrap.js';
import { createStyle, type Style } from '../report/style.js';
import { openEditor } from './editor.js';
import { ApprovalError } from './errors.js';
import type { PlanCostEstimate } from './estimate.js';
import { planDiff } from './plan-diff.js';
import { renderPlanGraph, type PlanGraphOptions } from './plan-graph.js';
import { terminalPrompter, type KeyChoice, type Prompter } from './prompter.js';

export interface ApprovePlanOptions {
  plan: Plan;
  input: Readable;
  output: TerminalStream;
  /** The editor command line, e.g. from `editorFromEnv(process.env)`. */
  editor: string;
  /** Asks the planner for a revision that follows the person's feedback. */
  revise: (plan: Plan, feedback: string) => Promise<Plan>;
  isTTY: boolean;
  /** Approve without asking (`--yes`). */
  yes: boolean;
  /** Who approved when nobody was asked, as the line after the plan says it (default "--yes"). */
  approvedBy?: string;
  /** Where plan.md lives while it is reviewed; it holds the approved plan at the end. */
  planFile: string;
  estimate?: (plan: Plan) => PlanCostEstimate;
  /** The run's budgets, for a warning when the estimate's upper end passes one. */
  budgets?: PlanGraphOptions['budgets'];
  color?: boolean;
  /** How the person is asked; default: the terminal's single-key prompts on `input` and `output`. */
  prompter?: Prompter;
}

export type ApprovalDecision = { decision: 'approved'; plan: Plan } | { decision: 'quit' };

const CHOICES: readonly KeyChoice<'a' | 'f' | 'e' | 'r' | 'q'>[] = [
  { key: 'a', label: 'approve and run' },
  { key: 'f', label: 'show the full plan text' },
  { key: 'e', label: 'edit plan.md in your editor' },
  { key: 'r', label: 'revise with feedback to the planner' },
  { key: 'q', label: 'quit (the plan is kept)' },
];

/** The draft a person gave up on is kept beside plan.md, so nothing they typed is lost. */
export const draftFileOf = (planFile: string) => planFile.replace(/(\.md)?$/, '.draft.md');

/**
 * Shows the plan and asks until the person approves or quits: approve, show the full plan text,
 * edit plan.md in their editor, ask the planner for a revision (shown as a diff), or quit. A choice
 * is one key; feedback is a line.
 */
export async function approvePlan(options: ApprovePlanOptions): Promise<ApprovalDecision> {
  const { output, planFile } = options;
  const style = createStyle(options.color ?? false);
  const say = (text = '') => output.write(`${wrapFor(output, text)}\n`);
  const show = (plan: Plan) => say(`\n${renderPlanGraph(plan, { estimate: options.estimate?.(plan), ...(options.budgets ? { budgets: options.budgets } : {}), color: options.color })}\n`);
  await mkdir(dirname(planFile), { recursive: true });

  if (options.yes) {
    show(options.plan);
    await writeFile(planFile, renderPlanMarkdown(options.plan));
    say(`Approved (${options.approvedBy ?? '--yes'}).`);
    return { decision: 'approved', plan: options.plan };
  }
  if (!options.isTTY) throw new ApprovalError();

  const prompter = options.prompter ?? terminalPrompter(options.input, output);
  let plan = options.plan;
  show(plan);
  for (;;) {
    const choice = await prompter.choose('Run this plan?', CHOICES);
    if (choice === undefined || choice === 'q') return await quit(plan, planFile);
    if (choice === 'a') {
      await writeFile(planFile, renderPlanMarkdown(plan));
      say(style.green('Approved.'));
      return { decision: 'approved', plan };
    }
    if (choice === 'f') {
      say(`\n${renderPlanMarkdown(plan)}`);
      continue;
    }
    const next = choice === 'e' ? await editPlan(plan, options, prompter, say, style) : await revisePlan(plan, options, prompter, say, style);
    if (next === plan) continue;
    const diff = planDiff(plan, next, style);
    if (diff === '') {
      say('No change.');
      continue;
    }
    say(diff);
    plan = next;
    show(plan);
  }
}

/** Keeps the plan as the person last saw it, so that quitting loses nothing (the caller says where). */
async function quit(plan: Plan, planFile: string): Promise<ApprovalDecision> {
  await writeFile(planFile, renderPlanMarkdown(plan));
  return { decision: 'quit' };
}

type Say = (text?: string) => void;

/** Opens plan.md until it parses; a broken edit is shown with its line numbers and reopened as the person left it. */
async function editPlan(plan: Plan, options: ApprovePlanOptions, prompter: Prompter, say: Say, style: Style): Promise<Plan> {
  await writeFile(options.planFile, renderPlanMarkdown(plan));
  for (;;) {
    try {
      await openEditor(options.editor, options.planFile);
    } catch (error) {
      if (!(error instanceof CoordinateError)) throw error;
      say(style.red(error.message));
      return plan;
    }
    const text = await readFile(options.planFile, 'utf8');
    try {
      return parsePlanMarkdown(text);
    } catch (error) {
      if (!(error instanceof PlanMarkdownError)) throw error;
      say(style.red(error.message));
    }
    const again = await prompter.choose('Reopen the editor to fix it?', REOPEN);
    if (again !== 'y') {
      const draft = draftFileOf(options.planFile);
      await writeFile(draft, text);
      await writeFile(options.planFile, renderPlanMarkdown(plan));
      say(`Kept the last valid plan. Your edit is saved in ${draft}.`);
      return plan;
    }
  }
}

const REOPEN: readonly KeyChoice<'y' | 'n'>[] = [
  { key: 'y', label: 'yes, reopen it on my text' },
  { key: 'n', label: 'no, keep the last valid plan' },
];

async function revisePlan(plan: Plan, options: ApprovePlanOptions, prompter: Prompter, say: Say, style: Style): Promise<Plan> {
  const feedback = (await prompter.line('What should change?'))?.trim();
  if (!feedback) return plan;
  say('Revising the plan…');
  try {
    return await options.revise(plan, feedback);
  } catch (error) {
    if (!(error instanceof CoordinateError)) throw error;
    say(style.red(`The revision failed: ${error.message}`));
    return plan;
  }
}
