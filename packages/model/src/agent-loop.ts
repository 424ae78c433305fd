import Anthropic from '@anthropic-ai/sdk';
import {
  AbortedError,
  NoProgressError,
  NoVerdictError,
  addUsage,
  BudgetExceededError,
  emptyUsage,
  formatZodError,
  LeaseWaitError,
  ModelApiUnavailableError,
  ModelRequestFailedError,
  TurnLimitError,
  type ErrorData,
  type ModelPrice,
  type PriceTable,
  type Evidence,
  type Outcome,
  type ProgressEvent,
  type Usage,
} from '@coordinate/protocol';
import { redactDeep, type Redactor } from '@coordinate/logging';
import { budgetStop, estimateTokens, PromptSizeEstimate, worstCase, type BudgetRefusal, type TaskBudget } from './budget.js';
import { withCacheBreakpoints } from './caching.js';
import { clip } from './clip.js';
import { CompleteTaskInput, toolDefinition } from '@coordinate/tools';

/** The only way a task ends on its own; its input schema and description are packages/tools' (the one contract). */
const COMPLETE_TASK = 'complete_task';
const completeTaskTool: Anthropic.Tool = toolDefinition(COMPLETE_TASK);
import { priceFor, usageOfResponse } from './pricing.js';
import { apiErrorOf, withRetries, type RetryEvent, type RetryOptions } from './retry.js';
import { REPEATS_FOR_NO_PROGRESS, StallWatch } from './stall-watch.js';
import { streamTurn, type ToolCall, type TurnAnswer } from './stream-turn.js';
import { runToolCalls, type ExecuteTool } from './tool-calls.js';
import type { TranscriptWriter } from './transcript.js';

export type AgentEnding = 'completed' | 'turn_limit' | 'budget' | 'model_error' | 'aborted' | 'no_verdict' | 'no_progress';

export interface AgentOutcome {
  /** `succeeded` only when the model called complete_task with that status. */
  outcome: Outcome;
  ending: AgentEnding;
  summary: string;
  details?: string;
  evidence?: Evidence[];
  /**
   * Set for every ending but `completed`: code turn_limit | budget_exceeded | model_request_failed |
   * model_api_unavailable | aborted | no_verdict | no_progress (the last two are not retried: a new
   * attempt would end the same way).
   */
  error?: ErrorData;
  usage: Usage;
  turns: number;
  retries: RetryEvent[];
}

export interface AgentLoopOptions {
  client: Anthropic;
  model: string;
  system: string;
  /** The role's tools; `complete_task` is added when missing, since the loop ends through it. */
  tools: Anthropic.Tool[];
  executeTool: ExecuteTool;
  userPrompt: string;
  maxTurns: number;
  maxOutputTokens?: number;
  budget?: TaskBudget;
  /**
   * Asked before each request with its worst case; a refusal ends the task as `budget`. This is how
   * a run budget shared by parallel tasks is held: the run reserves, the task only asks.
   */
  reserve?: (request: { tokens: number; costUsd: number }) => Promise<BudgetRefusal | undefined>;
  /** A price table (looked up by model) or the model's price. */
  pricing?: PriceTable | ModelPrice;
  /** Cache breakpoints on the stable prefix and the conversation (default true). */
  cache?: boolean;
  transcript?: TranscriptWriter;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent, usage: Usage) => void;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Applied to progress events, which end up in the journal and logs: tool output may echo a secret. */
  redactor?: Redactor;
  /** A stream silent this long counts as broken and is retried. */
  idleTimeoutMs?: number;
  /**
   * Looks at a valid `complete_task` before the loop ends with it: a returned text rejects it and is
   * sent back as that call's tool result, so the model can run commands and complete again. Called
   * at most `maxCorrections` times; after that the next completion ends the task as it is.
   */
  reviewCompletion?: (completion: CompleteTaskInput, correctionsLeft: number) => Promise<string | undefined>;
  /** Rejections `reviewCompletion` may make (default 0). */
  maxCorrections?: number;
  /** Notes a person steered the task with since the last call; each joins the conversation before the next request. */
  takeNotes?: () => string[];
}

const NUDGE =
  'Your last answer called no tool. Continue the task with your tools, or call complete_task with status, summary (and evidence for a verification) if it is done or cannot be done.';
const FORCE_VERDICT =
  'You answered again without calling a tool. Call complete_task now: status "succeeded" with evidence if the task is done, else "failed" with the reason.';
const FORCED_CHOICE = { type: 'tool', name: COMPLETE_TASK } as const;

const isPrice = (pricing: PriceTable | ModelPrice): pricing is ModelPrice =>
  ['input', 'output', 'cacheWrite', 'cacheRead'].every((key) => typeof (pricing as Record<string, unknown>)[key] === 'number');

/**
 * Adds a person's steering notes to the conversation's last message, which is always the user's (the
 * prompt, a reminder or the tool results): the API wants turns to alternate, so they join it as text.
 */
function withNotes(messages: Anthropic.MessageParam[], notes: readonly string[]): void {
  const last = messages.at(-1)!;
  const content: Anthropic.ContentBlockParam[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  for (const note of notes) content.push({ type: 'text', text: `A note from the person running this task (coordinate steer):\n${note}` });
  messages[messages.length - 1] = { role: 'user', content };
}

/** A request that failed for good, as data: an outage stays ModelApiUnavailableError, anything else is ModelRequestFailedError. */
function describeFailure(error: unknown): ErrorData {
  if (error instanceof ModelApiUnavailableError) return { ...error.toData(), message: clip(error.message, 2000) };
  const apiError = apiErrorOf(error);
  if (apiError) {
    const status = apiError.status === undefined ? '' : ` (HTTP ${apiError.status})`;
    const data = apiError.status === undefined ? {} : { status: apiError.status };
    return new ModelRequestFailedError(clip(`the model request failed${status}: ${apiError.message}`, 2000), data).toData();
  }
  return new ModelRequestFailedError(clip(`the model request failed: ${error instanceof Error ? error.message : String(error)}`, 2000), {}).toData();
}

/**
 * Runs one task as a conversation with the model: each turn is streamed, its tool calls run
 * concurrently and answered, until the model calls complete_task, the turn limit is reached, the
 * budget would be passed, a request fails for good, or the signal aborts.
 */
export async function runAgentLoop(options: AgentLoopOptions): Promise<AgentOutcome> {
  const { client, model, system, executeTool, maxTurns, budget = {}, transcript, onProgress } = options;
  const maxOutputTokens = options.maxOutputTokens ?? 8192;
  const price = options.pricing && isPrice(options.pricing) ? options.pricing : priceFor(model, options.pricing);
  const signal = options.signal ?? new AbortController().signal;
  const tools = options.tools.some((t) => t.name === COMPLETE_TASK) ? options.tools : [...options.tools, completeTaskTool];
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: options.userPrompt }];
  const retries: RetryEvent[] = [];
  let usage = emptyUsage();
  let turns = 0;
  let sentMessages = 0;
  const report = (event: ProgressEvent) => onProgress?.(options.redactor ? redactDeep(event, options.redactor) : event, usage);
  const end = (ending: Exclude<AgentEnding, 'completed'>, error: ErrorData): AgentOutcome => ({
    outcome: 'failed',
    ending,
    summary: error.message,
    error,
    usage,
    turns,
    retries,
  });
  const aborted = () => end('aborted', new AbortedError(`the task was stopped: ${String(signal.reason ?? 'aborted')}`, undefined).toData());
  const stall = new StallWatch();
  let forceVerdict = false;
  let correctionsLeft = options.maxCorrections ?? 0;

  const promptSize = new PromptSizeEstimate(estimateTokens({ system, tools }));

  while (turns < maxTurns) {
    if (signal.aborted) return aborted();
    const notes = options.takeNotes?.() ?? [];
    if (notes.length > 0) {
      withNotes(messages, notes);
      report({ kind: 'log', message: `${notes.length === 1 ? 'a note' : `${notes.length} notes`} from the person steering the run joined the conversation` });
    }
    const prompt = withCacheBreakpoints({ system, tools, messages }, options.cache ?? true);
    const next = { inputTokens: promptSize.of(messages), maxOutputTokens };
    const refused = budgetStop(budget, usage, next, price) ?? (await options.reserve?.(worstCase(next, price)));
    if (refused) {
      return end('budget', new BudgetExceededError(`stopped before turn ${turns + 1}: ${refused.reason}`, { budget: refused.budget }).toData());
    }

    transcript?.write('request', {
      model,
      max_tokens: maxOutputTokens,
      // Each line holds what is new since the previous request; together they are every request in full.
      ...(sentMessages === 0 ? { system, tools } : {}),
      messages_from: sentMessages,
      messages: messages.slice(sentMessages),
    });
    sentMessages = messages.length;
    let answer: TurnAnswer;
    try {
      answer = await withRetries(
        () =>
          streamTurn(
            client,
            { model, max_tokens: maxOutputTokens, ...prompt, ...(forceVerdict ? { tool_choice: FORCED_CHOICE } : {}) },
            { signal, ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) },
          ),
        {
          ...options.retry,
          signal,
          onRetry: (event) => {
            retries.push(event);
            transcript?.write('retry', event);
            report({ kind: 'retry', attempt: event.attempt, cause: clip(event.cause, 1000), delayMs: event.delayMs });
          },
        },
      );
    } catch (error) {
      if (signal.aborted) return aborted();
      const failure = describeFailure(error);
      transcript?.write('error', failure);
      return end('model_error', failure);
    }
    turns++;
    promptSize.counted(answer.usage, sentMessages);
    usage = addUsage(usage, usageOfResponse(answer.usage, price));
    transcript?.write('response', { stop_reason: answer.stopReason, content: answer.content, usage: answer.usage });
    report({ kind: 'turn', turn: turns, ...(answer.text ? { text: clip(answer.text, 4000) } : {}) });
    messages.push({ role: 'assistant', content: answer.content.length > 0 ? answer.content : [{ type: 'text', text: '(no content)' }] });

    if (answer.toolCalls.length === 0 && !forceVerdict) {
      // One reminder; after a second answer without a tool, the next request allows only complete_task.
      forceVerdict = stall.textOnly() === 'force';
      messages.push({ role: 'user', content: forceVerdict ? FORCE_VERDICT : NUDGE });
      continue;
    }
    const completions = answer.toolCalls.filter((call) => call.name === COMPLETE_TASK);
    const others = answer.toolCalls.filter((call) => call.name !== COMPLETE_TASK);
    const results = await runToolCalls(others, executeTool, signal, report);
    const review = !forceVerdict && correctionsLeft > 0 ? options.reviewCompletion : undefined;
    const { completion, completionResults, rejected } = await judgeCompletions(completions, review && ((c) => review(c, correctionsLeft - 1)));
    for (const result of completionResults) {
      report({ kind: 'tool_result', tool: COMPLETE_TASK, ok: !result.is_error, summary: clip(result.content, 4000) });
    }
    if (completion) {
      return {
        outcome: completion.status,
        ending: 'completed',
        summary: completion.summary,
        ...(completion.details !== undefined ? { details: completion.details } : {}),
        ...(completion.evidence !== undefined ? { evidence: completion.evidence } : {}),
        // ending to wait for a file is told apart from a failure by its code, never by the summary's words
        ...(completion.status === 'failed' && completion.waitsFor !== undefined ? { error: new LeaseWaitError(completion.summary.slice(0, 4000), { path: completion.waitsFor }).toData() } : {}),
        usage,
        turns,
        retries,
      };
    }
    if (forceVerdict) {
      return end('no_verdict', new NoVerdictError('the task ended without a verdict: reminded, then made to call complete_task, it gave none with valid input').toData());
    }
    if (rejected) {
      correctionsLeft--;
      report({ kind: 'log', message: `complete_task was sent back for correction (${correctionsLeft} more allowed)` });
    }
    const byId = new Map([...results, ...completionResults].map((r) => [r.tool_use_id, r]));
    const answered = answer.toolCalls.map((call) => byId.get(call.id)!);
    if (stall.repeated(JSON.stringify(answer.toolCalls.map((call, i) => [call.name, call.input ?? call.inputError, answered[i]!.content])))) {
      return end('no_progress', new NoProgressError(`no progress: the last ${REPEATS_FOR_NO_PROGRESS} turns made the same tool calls and got the same results`).toData());
    }
    messages.push({ role: 'user', content: answered });
  }
  return end('turn_limit', new TurnLimitError(`the task reached its turn limit (maxTurns = ${maxTurns}) without calling complete_task`, { maxTurns }).toData());
}

/**
 * The first valid complete_task call wins unless `review` sends it back with a correction; an invalid
 * one is answered with what is wrong so the model can fix it.
 */
async function judgeCompletions(
  calls: ToolCall[],
  review: ((completion: CompleteTaskInput) => Promise<string | undefined>) | undefined,
): Promise<{ completion?: CompleteTaskInput; completionResults: (Anthropic.ToolResultBlockParam & { content: string })[]; rejected: boolean }> {
  let completion: CompleteTaskInput | undefined;
  let considered = false;
  let rejected = false;
  const completionResults: (Anthropic.ToolResultBlockParam & { content: string })[] = [];
  for (const call of calls) {
    const parsed = call.input === undefined ? undefined : CompleteTaskInput.safeParse(call.input);
    if (parsed?.success && !considered) {
      considered = true;
      const correction = await review?.(parsed.data);
      if (correction === undefined) completion = parsed.data;
      else rejected = true;
      completionResults.push({ type: 'tool_result', tool_use_id: call.id, content: correction ?? 'Task completed.', ...(correction === undefined ? {} : { is_error: true }) });
      continue;
    }
    const problem = parsed
      ? parsed.success
        ? 'only the first valid complete_task of a turn counts'
        : formatZodError(parsed.error)
      : call.inputError ?? 'invalid input';
    completionResults.push({ type: 'tool_result', tool_use_id: call.id, content: `complete_task was not accepted: ${problem}`, is_error: true });
  }
  return { ...(completion ? { completion } : {}), completionResults, rejected };
}
