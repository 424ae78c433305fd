import { z } from 'zod';
import { priceFor, streamTurn, toolInputSchema, usageOfResponse, withRetries, type ModelClient, type ModelTool } from '@coordinate/model';
import { Plan } from '@coordinate/plan';
import { formatZodError, type PriceTable, type Usage } from '@coordinate/protocol';
import { checkPlanInput } from '../planner/index.js';
import type { Finding } from './findings.js';
import { ACTION_TIERS, type WatchAction } from './tiers.js';

export const SUBMIT_TRIAGE = 'submit_triage';

const ActionKind = z.enum(Object.keys(ACTION_TIERS) as [WatchAction, ...WatchAction[]]);

/** The triage model's answer, validated before anything acts on it. */
export const TriageDecision = z.object({
  summary: z.string().min(1).max(4000),
  actions: z
    .array(z.object({ kind: ActionKind, reason: z.string().max(2000), branch: z.string().max(200).optional() }))
    .max(10),
  /** For `fix` and `propose`: the work as a plan (the planner's submit_plan shape). */
  plan: Plan.optional(),
});
export type TriageDecision = z.infer<typeof TriageDecision>;

const submitTriageTool: ModelTool = {
  name: SUBMIT_TRIAGE,
  description: 'Submit your triage of the findings: what happened, the actions you decide on, and for a fix the plan of the work.',
  input_schema: toolInputSchema(TriageDecision),
};

const TRIAGE_SYSTEM = [
  'You triage findings of a background watcher of a software repository: a commit that broke the checks, a failing pull-request check, a review comment.',
  'Explain in one paragraph what most likely happened, then decide. Actions: "note" (record it), "fix" (do the work on a branch of its own, never the person\'s), "propose" (write a plan for the person to run).',
  'For "fix" and "propose" give a plan: tasks with ids, roles research/implement/verify, instructions, dependsOn; every implement task checked by a verify task that runs the project\'s commands.',
  'Submit with submit_triage.',
].join('\n');

export interface TriageOptions {
  client: ModelClient;
  model: string;
  pricing: PriceTable;
  findings: readonly Finding[];
  signal?: AbortSignal;
}

export type TriageResult = { decision: TriageDecision; usage: Usage } | { problem: string; usage: Usage };

/**
 * One forced `submit_triage` call about the findings. The answer is untrusted: it is checked
 * against the schema and its plan like the planner's; a bad answer comes back as `problem`,
 * and nothing acts on it.
 */
export async function triage(options: TriageOptions): Promise<TriageResult> {
  const { client, model, findings, signal } = options;
  const text = findings.map((f, i) => `Finding ${i + 1} (${f.level}): ${f.title}\n${f.detail}`).join('\n\n');
  const request = {
    model,
    max_tokens: 8000,
    system: TRIAGE_SYSTEM,
    tools: [submitTriageTool],
    tool_choice: { type: 'tool' as const, name: SUBMIT_TRIAGE },
    messages: [{ role: 'user' as const, content: `${text}\n\nTriage these findings and submit with submit_triage.` }],
  };
  const answer = await withRetries(() => streamTurn(client, request, signal ? { signal } : {}), signal ? { signal } : {});
  const usage = usageOfResponse(answer.usage, priceFor(model, options.pricing));
  const call = answer.toolCalls.find((c) => c.name === SUBMIT_TRIAGE);
  if (!call?.input) return { problem: call?.inputError ?? 'the model made no submit_triage call', usage };
  const parsed = TriageDecision.safeParse(call.input);
  if (!parsed.success) {
    return { problem: `the triage does not fit its schema (${formatZodError(parsed.error)})`, usage };
  }
  if (parsed.data.plan) {
    const { problems } = checkPlanInput(parsed.data.plan);
    if (problems.length > 0) return { problem: `the triage's plan cannot be used: ${problems.join('; ')}`, usage };
  }
  return { decision: parsed.data, usage };
}
