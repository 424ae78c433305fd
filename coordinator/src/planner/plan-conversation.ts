import {
  estimateTokens,
  fitOutput,
  priceFor,
  streamTurn,
  usageOfResponse,
  withCacheBreakpoints,
  withRetries,
  type ModelClient,
  type ModelMessage,
  type RetryEvent,
  type RetryOptions,
  type TaskBudget,
  type ToolCall,
  type TranscriptWriter,
} from '@coordinate/model';
import { describeProblem, findPlanProblems, PlanSubmission, serializeOverlaps, type Plan } from '@coordinate/plan';
import { addUsage, BudgetExhaustedError, emptyUsage, ModelApiUnavailableError, zodProblems, type PriceTable, type Usage } from '@coordinate/protocol';
import { PlanningError } from './errors.js';
import { PLANNER_SYSTEM, SUBMIT_PLAN, submitPlanTool } from './planner-prompt.js';

export interface PlannerOptions {
  client: ModelClient;
  model: string;
  goal: string;
  overview: string;
  memory?: string[];
  /** How many times an invalid plan is sent back with its problems before planning fails. */
  maxRepairs?: number;
  signal?: AbortSignal;
  onRetry?: (event: RetryEvent) => void;
  transcript?: TranscriptWriter;
  /**
   * The run's budgets and what the run spent before this conversation. Every request, repairs
   * included, is checked against them: its output limit is lowered to fit, down to
   * `LEAST_OUTPUT_TOKENS`, below which it is not sent (`BudgetExhaustedError`).
   */
  budget?: { limits: TaskBudget; spent: Usage };
  pricing?: PriceTable;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
}

export interface PlanningResult {
  plan: Plan;
  usage: Usage;
}

/** What is wrong with a submission, in words the model (and then the person) can act on; empty when it is a valid plan. */
function problemsOf(call: ToolCall | undefined): { plan?: Plan; problems: string[] } {
  if (!call) return { problems: ['no submit_plan call was made'] };
  if (call.input === undefined) return { problems: [call.inputError ?? 'the input could not be read'] };
  return checkPlanInput(call.input);
}

/**
 * A plan the model submitted, checked like the planner's: schema, graph, every implementation
 * verified. Implementation tasks that could run at once and declare overlapping write sets are
 * serialized (`serializeOverlaps`), each added wait recorded with its reason.
 */
export function checkPlanInput(input: unknown): { plan?: Plan; problems: string[] } {
  const parsed = PlanSubmission.safeParse(input);
  if (!parsed.success) {
    return { problems: zodProblems(parsed.error).map((problem) => (problem.path.length > 0 ? problem.text : `the plan ${problem.message}`)) };
  }
  const graph = findPlanProblems(parsed.data.tasks, { requireVerification: true }).map(describeProblem);
  return graph.length > 0 ? { problems: graph } : { plan: serializeOverlaps(parsed.data), problems: [] };
}

/** A plan as long as the longest the planner should write fits in this many output tokens; a request may ask for up to this. */
const MAX_OUTPUT_TOKENS = 16_000;
/** A small plan (a handful of tasks) fits in this; a tight budget may lower a request's output limit to it, no further. */
export const LEAST_OUTPUT_TOKENS = 4_000;

/** The output limit of the next request: all it may want, or what the run's budget leaves. */
function outputLimit(options: PlannerOptions, usage: Usage, prompt: unknown): number {
  if (!options.budget) return MAX_OUTPUT_TOKENS;
  const { limits, spent } = options.budget;
  const fitted = fitOutput(limits, addUsage(spent, usage), estimateTokens(prompt), priceFor(options.model, options.pricing), {
    wanted: MAX_OUTPUT_TOKENS,
    least: LEAST_OUTPUT_TOKENS,
  });
  if ('refusal' in fitted) {
    throw new BudgetExhaustedError(`the planner's request was not sent: ${fitted.refusal.reason}`, { budget: fitted.refusal.budget });
  }
  return fitted.maxOutputTokens;
}

function feedbackFor(call: ToolCall | undefined, problems: string[]): ModelMessage {
  const text = `The plan cannot be used:\n${problems.map((p) => `- ${p}`).join('\n')}\nFix these problems and submit the whole plan again with submit_plan.`;
  return call ? { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: text, is_error: true }] } : { role: 'user', content: text };
}

/**
 * Asks for a plan through the forced `submit_plan` tool and checks it (schema, graph, every
 * implementation verified). An invalid plan goes back with its problems, up to `maxRepairs` times.
 */
export async function negotiatePlan(options: PlannerOptions, opening: ModelMessage[]): Promise<PlanningResult> {
  const { client, model, maxRepairs = 2, signal, transcript } = options;
  const price = priceFor(model, options.pricing);
  const messages = [...opening];
  let usage = emptyUsage();
  // every answer's problems, first seen first: the last answer's alone can hide the first's cause
  const problems = new Set<string>();
  for (let attempt = 0; attempt <= maxRepairs; attempt++) {
    const prompt = withCacheBreakpoints({ system: PLANNER_SYSTEM, tools: [submitPlanTool], messages }, true);
    const maxTokens = outputLimit(options, usage, prompt);
    const request = { model, max_tokens: maxTokens, ...prompt, tool_choice: { type: 'tool' as const, name: SUBMIT_PLAN } };
    transcript?.write('request', request);
    let answer;
    try {
      answer = await withRetries(() => streamTurn(client, request, signal ? { signal } : {}), {
        ...options.retry,
        ...(signal ? { signal } : {}),
        onRetry: (event) => {
          transcript?.write('retry', event);
          options.onRetry?.(event);
        },
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      // an outage names the URL, so the person knows which server to check
      if (error instanceof ModelApiUnavailableError) {
        transcript?.write('error', { message: error.message });
        throw new ModelApiUnavailableError(`${error.message} (at ${client.baseURL})`, error.data, { cause: error });
      }
      const message = `the planner's model request failed: ${error instanceof Error ? error.message : String(error)}`;
      transcript?.write('error', { message });
      throw new PlanningError('planner_request_failed', message, undefined, { cause: error });
    }
    usage = addUsage(usage, usageOfResponse(answer.usage, price));
    transcript?.write('response', { stop_reason: answer.stopReason, content: answer.content, usage: answer.usage });
    const call = answer.toolCalls.find((c) => c.name === SUBMIT_PLAN);
    const checked = problemsOf(call);
    if (checked.plan) return { plan: checked.plan, usage };
    if (answer.stopReason === 'max_tokens') {
      const lowered = maxTokens < MAX_OUTPUT_TOKENS ? ', lowered to fit the budget (raise --max-cost or --max-tokens for room)' : '';
      checked.problems.unshift(`the answer was cut off at its output limit of ${maxTokens} tokens${lowered}`);
    }
    for (const problem of checked.problems) problems.add(problem);
    messages.push({ role: 'assistant', content: answer.content.length > 0 ? answer.content : [{ type: 'text', text: '(no content)' }] }, feedbackFor(call, checked.problems));
  }
  throw new PlanningError(
    'plan_invalid',
    `the planner did not produce a valid plan after ${maxRepairs} repair${maxRepairs === 1 ? '' : 's'}:\n${[...problems].map((p) => `  - ${p}`).join('\n')}`,
    { problems: [...problems], usage },
  );
}
