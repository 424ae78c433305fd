import { buildTaskPrompt } from '@coordinate/model';
import type { Plan } from '@coordinate/plan';
import type { Role, TaskSpec, ToolPolicy, Usage } from '@coordinate/protocol';
import { toolDefinitionsFor } from '@coordinate/tools';
import type { ModelPrice } from '../config/index.js';

/**
 * The priors of the estimate, used until this repository's own runs say otherwise. A task takes
 * the turns its shape asks for: an implementation reads and edits each declared file that exists
 * (and writes each one it creates), a verification runs each command, research reads each file;
 * each ends with complete_task. Each turn the model writes `outputTokens`, and the tool's result
 * joins the conversation: a file it read at that file's size, anything else at `resultTokens`.
 * Measured on the scripted runs of the test suite (a short thought and a tool call a turn, results
 * of a few lines); a repository's own runs replace them through the calibration. Real runs land
 * between `range.low` and `range.high` times the figure.
 */
export const ESTIMATE_ASSUMPTIONS = {
  outputTokens: 50,
  resultTokens: 120,
  range: { low: 0.5, high: 2 },
  /** Characters per token, the usual figure for English and code. */
  charsPerToken: 4,
  /** How much the calibration from past runs may move the priors, either way. */
  maxCalibration: 20,
};

/** The usage a role's tasks really had over the priors' figure for the same tasks (1: the priors were right). */
export type Calibration = Partial<Record<Role, number>>;

export interface PlanCostEstimate {
  tokens: number;
  /** Undefined when a model used by the plan has no price. */
  costUsd?: number;
  lowUsd?: number;
  highUsd?: number;
  unpricedModels: string[];
  /** Already spent before the estimate (planning): part of every figure above. */
  spent?: { tokens: number; costUsd: number };
  /** Roles whose figures come from this repository's past runs. */
  calibratedRoles: Role[];
}

export interface EstimateInput {
  prices: Readonly<Record<string, ModelPrice>>;
  /** One model for every role, or the model of each role. */
  models: string | Partial<Record<Role, string>>;
  policy?: ToolPolicy;
  /** From this repository's past runs (see `readCalibration`). */
  calibration?: Calibration;
  /** What planning already cost. */
  spent?: Usage;
  /**
   * Sizes (bytes) of the repository's files at the run's base commit, by path (see `fileSizesAt`); a declared
   * file absent from it is one the task creates. Without it every declared file counts as one that
   * exists, of unknown size.
   */
  fileSizes?: ReadonlyMap<string, number>;
}

const perMillion = (tokens: number, usdPerMTok: number) => (tokens * usdPerMTok) / 1_000_000;
const tokensOfText = (text: string) => Math.ceil(text.length / ESTIMATE_ASSUMPTIONS.charsPerToken);

/**
 * What each turn but the last adds to the task's conversation (tokens), in order: the tool result
 * its shape asks for, after the model's own answer. The last turn is complete_task.
 */
function turnResults(task: Pick<TaskSpec, 'role' | 'files' | 'commands'>, fileSizes?: ReadonlyMap<string, number>): number[] {
  const { resultTokens, charsPerToken } = ESTIMATE_ASSUMPTIONS;
  const files = task.files && task.files.length > 0 ? task.files : [undefined];
  const size = (file: string | undefined) => (file === undefined ? undefined : fileSizes?.get(file));
  const read = (file: string | undefined) => resultTokens + Math.ceil((size(file) ?? 0) / charsPerToken);
  const created = (file: string | undefined) => fileSizes !== undefined && file !== undefined && !fileSizes.has(file);
  if (task.role === 'implement') return files.flatMap((file) => (created(file) ? [resultTokens] : [read(file), resultTokens]));
  if (task.role === 'verify') return Array.from({ length: Math.max(1, task.commands?.length ?? 0) }, () => resultTokens);
  return files.map(read);
}

/** Token counts of one task's model requests, by kind, under the priors. */
export type TaskTokens = Pick<Usage, 'inputTokens' | 'outputTokens' | 'cacheWriteTokens' | 'cacheReadTokens'>;

/**
 * The requests of each task as the worker will send them: its system prompt and tool definitions
 * (written to the prompt cache by the first task of a role, read by the others), its own prompt,
 * and a conversation that grows each turn, read back from the cache.
 */
export function priorTaskTokens(plan: Pick<Plan, 'tasks'>, policy?: ToolPolicy, fileSizes?: ReadonlyMap<string, number>): Map<string, TaskTokens> {
  const { outputTokens } = ESTIMATE_ASSUMPTIONS;
  const cachedPrefix = new Set<Role>();
  const byTask = new Map<string, TaskTokens>();
  for (const task of plan.tasks) {
    const prompt = buildTaskPrompt({ task, context: { dependencies: [], memory: [] }, tokenBudget: Number.MAX_SAFE_INTEGER });
    const prefix = tokensOfText(prompt.system) + tokensOfText(JSON.stringify(toolDefinitionsFor(task.role, policy)));
    const own = tokensOfText(prompt.user);
    const results = turnResults(task, fileSizes);
    const shared = cachedPrefix.has(task.role);
    cachedPrefix.add(task.role);
    const tokens: TaskTokens = { inputTokens: 0, outputTokens: (results.length + 1) * outputTokens, cacheWriteTokens: (shared ? 0 : prefix) + own, cacheReadTokens: shared ? prefix : 0 };
    // each request after the first reads the conversation so far from the cache and writes the last turn
    let conversation = prefix + own;
    for (const result of results) {
      tokens.cacheReadTokens += conversation;
      tokens.cacheWriteTokens += outputTokens + result;
      conversation += outputTokens + result;
    }
    byTask.set(task.id, tokens);
  }
  return byTask;
}

const totalTokens = (t: TaskTokens) => t.inputTokens + t.outputTokens + t.cacheWriteTokens + t.cacheReadTokens;

/** Cost of token counts at a model's price (cache prices default to the API's usual ratios). */
export function costOf(t: TaskTokens, price: ModelPrice): number {
  return (
    perMillion(t.inputTokens, price.input) +
    perMillion(t.outputTokens, price.output) +
    perMillion(t.cacheWriteTokens, price.cacheWrite ?? price.input * 1.25) +
    perMillion(t.cacheReadTokens, price.cacheRead ?? price.input * 0.1)
  );
}

export const modelOfRole = (models: EstimateInput['models'], role: Role) => (typeof models === 'string' ? models : models[role]);

/**
 * What the plan will cost to run: the priors' figure for each task, scaled by what this
 * repository's past runs measured for its role, plus what planning already spent; a range around it.
 */
export function estimatePlanCost(plan: Plan, input: EstimateInput): PlanCostEstimate {
  const priors = priorTaskTokens(plan, input.policy, input.fileSizes);
  const spent = input.spent ? { tokens: input.spent.inputTokens + input.spent.outputTokens + input.spent.cacheWriteTokens + input.spent.cacheReadTokens, costUsd: input.spent.costUsd } : undefined;
  let tokens = 0;
  let cost = 0;
  const unpriced = new Set<string>();
  for (const task of plan.tasks) {
    const factor = input.calibration?.[task.role] ?? 1;
    const taskTokens = priors.get(task.id)!;
    tokens += totalTokens(taskTokens) * factor;
    const model = modelOfRole(input.models, task.role);
    const price = model === undefined ? undefined : input.prices[model];
    if (price) cost += costOf(taskTokens, price) * factor;
    else unpriced.add(model ?? `(no model for ${task.role})`);
  }
  const calibratedRoles = [...new Set(plan.tasks.map((t) => t.role))].filter((role) => input.calibration?.[role] !== undefined);
  const base = { tokens: Math.round(tokens + (spent?.tokens ?? 0)), ...(spent ? { spent } : {}), calibratedRoles };
  if (unpriced.size > 0) return { ...base, unpricedModels: [...unpriced] };
  const { low, high } = ESTIMATE_ASSUMPTIONS.range;
  const already = spent?.costUsd ?? 0;
  return { ...base, costUsd: already + cost, lowUsd: already + cost * low, highUsd: already + cost * high, unpricedModels: [] };
}
