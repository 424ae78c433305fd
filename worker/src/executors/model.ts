import { resolve } from 'node:path';
import { collectSecrets, createRedactor, redactDeep, type Redactor } from '@coordinate/logging';
import { buildTaskPrompt, createModelClient, DEFAULT_MODELS, runAgentLoop, TranscriptWriter, type TaskBudget } from '@coordinate/model';
import type { Budget, ModelExecutorSettings, TaskMemory, TaskResultBody, TaskScratchpad } from '@coordinate/protocol';
import { createToolset, safeCommandEnv } from '@coordinate/tools';
import type { TaskExecution, TaskExecutor } from '../executor.js';
import type { WorkerLimits } from '../limits.js';
import { CommandLedger } from './command-ledger.js';
import { narrowedPolicy, taskRoot } from './worker-limits.js';
import { taskResultOf } from './model-result.js';
import { readModelSettings } from './model-settings.js';
import { verdictReview } from './verdict-review.js';

export interface ModelExecutorOptions {
  /** Where the API key, base URL and the commands' environment come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The root of a task whose context names none, as for a worker on another machine (default process.cwd()). */
  cwd?: string;
}

/** Times a verdict whose evidence cannot be verified is sent back to the model (config `verify.corrections`). */
const DEFAULT_CORRECTIONS = 2;

/** Room for the task, its dependency summaries and memory; the rest of the context window is the conversation's. */
const DEFAULT_PROMPT_TOKEN_BUDGET = 16_000;

const stricter = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** The task's limits: the coordinator's settings and budget, and the worker's own, the strictest of each. */
function limitsOf(settings: ModelExecutorSettings, budget: Budget, own: WorkerLimits): { maxTurns: number; budget: TaskBudget } {
  const maxTokens = stricter(settings.budget?.maxTokens, budget.maxTokens);
  const maxCostUsd = stricter(stricter(settings.budget?.maxCostUsd, budget.maxCostUsd), own.maxCostUsd);
  return {
    maxTurns: stricter(stricter(settings.maxTurns, budget.maxTurns), own.maxTurns)!,
    budget: { ...(maxTokens !== undefined ? { maxTokens } : {}), ...(maxCostUsd !== undefined ? { maxCostUsd } : {}) },
  };
}

/** Notes outlive the run and are read by other tasks, so a secret the model came across is not kept in them. */
function redactedScratchpad(pad: TaskScratchpad, redactor: Redactor): TaskScratchpad {
  return { read: (name) => pad.read(name), list: (prefix) => pad.list(prefix), write: (name, content) => pad.write(name, redactor(content)) };
}

/** Team memory is shared across runs and people: the same holds for proposals. */
function redactedMemory(memory: TaskMemory, redactor: Redactor): TaskMemory {
  return {
    search: (query, files) => memory.search(query, files),
    propose: (proposal) => memory.propose({ ...proposal, text: redactor(proposal.text), ...(proposal.title ? { title: redactor(proposal.title) } : {}) }),
  };
}

/**
 * The executor that runs a task as a conversation with the model: the role's tools confined to
 * the task's root, every turn and tool call streamed as progress, every request and response in
 * the transcript, and the task's turn and token limits enforced.
 */
export function createModelExecutor(options: ModelExecutorOptions = {}): TaskExecutor {
  const env = options.env ?? process.env;
  const redactor = createRedactor(collectSecrets(env));
  return async (execution: TaskExecution): Promise<TaskResultBody> => {
    const { task, context, signal, logger, limits: own } = execution;
    const settings = readModelSettings(context.settings?.model);
    const model = own.model ?? settings.model ?? context.model ?? DEFAULT_MODELS[task.role];
    const root = taskRoot(resolve(context.root ?? own.root ?? options.cwd ?? process.cwd()), own);
    const policy = narrowedPolicy(settings.policy, own);
    const client = createModelClient({ env });
    const toolset = createToolset({
      role: task.role,
      root,
      ...(policy ? { policy } : {}),
      sandbox: own.sandbox,
      ...(env.HOME ? { home: env.HOME } : {}),
      scratchpad: redactedScratchpad(execution.scratchpad, redactor),
      memory: redactedMemory(execution.memory, redactor),
      env: safeCommandEnv(env),
      signal,
      // The agent loop streams each denial as a `denied` event; the worker log keeps them too.
      onDenied: (tool, reason) => logger.warn({ tool, reason: redactor(reason) }, 'tool call denied'),
      ...(execution.lease ? { lease: execution.lease } : {}),
      ...(settings.commandTimeoutMs ? { commandTimeoutMs: settings.commandTimeoutMs } : {}),
    });
    const prompt = buildTaskPrompt({ task, role: task.role, context, tokenBudget: settings.promptTokenBudget ?? DEFAULT_PROMPT_TOKEN_BUDGET });
    const transcript = settings.transcriptFile ? new TranscriptWriter(settings.transcriptFile, redactor) : undefined;
    const limits = limitsOf(settings, context.budget, own);
    const ledger = new CommandLedger(root);
    logger.info({ model, root, maxTurns: limits.maxTurns, budget: limits.budget }, 'model task started');
    try {
      const outcome = await runAgentLoop({
        client,
        model,
        system: prompt.system,
        tools: toolset.definitions,
        // Commands run without secrets in their environment, but one can still read a secret from
        // elsewhere (the worker's own /proc/<pid>/environ, a file): the model is not shown it.
        executeTool: async (name, input) => {
          const shown = redactDeep(await toolset.execute(name, input), redactor);
          if (name === 'run_command') await ledger.record(input, shown);
          return shown;
        },
        reviewCompletion: verdictReview(task, settings.verify?.requiredCommands ?? task.commands ?? [], ledger),
        maxCorrections: settings.verify?.corrections ?? DEFAULT_CORRECTIONS,
        userPrompt: prompt.user,
        takeNotes: execution.takeNotes,
        maxTurns: limits.maxTurns,
        budget: limits.budget,
        // Only a run budget needs holding across parallel tasks; without one, no round trip.
        ...(context.budget.maxTokens !== undefined || context.budget.maxCostUsd !== undefined ? { reserve: execution.reserve } : {}),
        ...(settings.maxOutputTokens ? { maxOutputTokens: settings.maxOutputTokens } : {}),
        ...(settings.pricing ? { pricing: settings.pricing } : {}),
        ...(settings.cache !== undefined ? { cache: settings.cache } : {}),
        ...(settings.retry ? { retry: settings.retry } : {}),
        ...(settings.idleTimeoutMs ? { idleTimeoutMs: settings.idleTimeoutMs } : {}),
        ...(transcript ? { transcript } : {}),
        signal,
        redactor,
        onProgress: (event, usage) => execution.progress(event, usage),
      });
      logger.info({ ending: outcome.ending, turns: outcome.turns, usage: outcome.usage }, 'model task ended');
      return taskResultOf(outcome, ledger.runs, model, redactor);
    } finally {
      // A transcript that could not be written must not cost the task its result; the log says so.
      await transcript?.close().catch((error: unknown) => logger.error({ err: error, file: settings.transcriptFile }, 'the transcript could not be written'));
    }
  };
}
