import Anthropic from '@anthropic-ai/sdk';
import {
  AbortedError,
  addUsage,
  BudgetExceededError,
  emptyUsage,
  ModelApiUnavailableError,
  ModelRequestFailedError,
  TurnLimitError,
  type ErrorData,
  type Evidence,
  type Outcome,
  type ProgressEvent,
  type Usage,
} from '@coordinate/protocol';
import { redactDeep, type Redactor } from '@coordinate/logging';
import { budgetStop, estimateTokens, PromptSizeEstimate, worstCase, type BudgetRefusal, type TaskBudget } from './budget.js';
import { withCacheBreakpoints } from './caching.js';
import { clip } from './clip.js';
import { COMPLETE_TASK, CompleteTaskInput, completeTaskTool } from './complete-task.js';
import { priceFor, usageOfResponse, type ModelPrice, type PriceTable } from './pricing.js';
import { withRetries, type RetryEvent, type RetryOptions } from './retry.js';
import { streamTurn, type ToolCall, type TurnAnswer } from './stream-turn.js';
import { runToolCalls, type ExecuteTool } from './tool-calls.js';
import type { TranscriptWriter } from './transcript.js';

export type AgentEnding = 'completed' | 'turn_limit' | 'budget' | 'model_error' | 'aborted';

export interface AgentOutcome {
  /** `succeeded` only when the model called complete_task with that status. */
  outcome: Outcome;
  ending: AgentEnding;
  summary: string;
  details?: string;
  evidence?: Evidence[];
  /** Set for every ending but `completed`: code turn_limit | budget_exceeded | model_request_failed | model_api_unavailable | aborted. */
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
}

const NUDGE =
  'Your last answer called no tool. Continue the task with your tools, or call complete_task with status, summary (and evidence for a verification) if it is done or cannot be done.';

const isPrice = (pricing: PriceTable | ModelPrice): pricing is ModelPrice =>
  ['input', 'output', 'cacheWrite', 'cacheRead'].every((key) => typeof (pricing as Record<string, unknown>)[key] === 'number');

/** A request that failed for good, as data: an outage stays ModelApiUnavailableError, anything else is ModelRequestFailedError. */
function describeFailure(error: unknown): ErrorData {
  if (error instanceof ModelApiUnavailableError) return { ...error.toData(), message: clip(error.message, 2000) };
  if (error instanceof Anthropic.APIError) {
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    const data = error.status === undefined ? {} : { status: error.status };
    return new ModelRequestFailedError(clip(`the model request failed${status}: ${error.message}`, 2000), data).toData();
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

  const promptSize = new PromptSizeEstimate(estimateTokens({ system, tools }));

  while (turns < maxTurns) {
    if (signal.aborted) return aborted();
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
        () => streamTurn(client, { model, max_tokens: maxOutputTokens, ...prompt }, { signal, ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}) }),
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

    if (answer.toolCalls.length === 0) {
      messages.push({ role: 'user', content: NUDGE });
      continue;
    }
    const completions = answer.toolCalls.filter((call) => call.name === COMPLETE_TASK);
    const others = answer.toolCalls.filter((call) => call.name !== COMPLETE_TASK);
    const results = await runToolCalls(others, executeTool, signal, report);
    const { completion, completionResults } = judgeCompletions(completions);
    for (const result of completionResults) {
      report({ kind: 'tool_result', tool: COMPLETE_TASK, ok: !result.is_error, summary: clip(String(result.content), 4000) });
    }
    if (completion) {
      return {
        outcome: completion.status,
        ending: 'completed',
        summary: completion.summary,
        ...(completion.details !== undefined ? { details: completion.details } : {}),
        ...(completion.evidence !== undefined ? { evidence: completion.evidence } : {}),
        usage,
        turns,
        retries,
      };
    }
    const byId = new Map([...results, ...completionResults].map((r) => [r.tool_use_id, r]));
    messages.push({ role: 'user', content: answer.toolCalls.map((call) => byId.get(call.id)!) });
  }
  return end('turn_limit', new TurnLimitError(`the task reached its turn limit (maxTurns = ${maxTurns}) without calling complete_task`, { maxTurns }).toData());
}

/** The first valid complete_task call wins; an invalid one is answered with what is wrong so the model can fix it. */
function judgeCompletions(calls: ToolCall[]): { completion?: CompleteTaskInput; completionResults: Anthropic.ToolResultBlockParam[] } {
  let completion: CompleteTaskInput | undefined;
  const completionResults = calls.map((call): Anthropic.ToolResultBlockParam => {
    const parsed = call.input === undefined ? undefined : CompleteTaskInput.safeParse(call.input);
    if (parsed?.success && !completion) {
      completion = parsed.data;
      return { type: 'tool_result', tool_use_id: call.id, content: 'Task completed.' };
    }
    const problem = parsed
      ? parsed.success
        ? 'the task was already completed by an earlier call'
        : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ')
      : call.inputError ?? 'invalid input';
    return { type: 'tool_result', tool_use_id: call.id, content: `complete_task was not accepted: ${problem}`, is_error: true };
  });
  return completion ? { completion, completionResults } : { completionResults };
}
