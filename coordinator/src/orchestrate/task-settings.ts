import { join } from 'node:path';
import type { CompiledDirective } from '@coordinate/memory';
import type { ModelExecutorSettings, TaskSpec, ToolPolicy } from '@coordinate/protocol';
import { requiredCommandsFor } from '../verify/index.js';
import type { CheckedExecuteOptions } from './options.js';

/** ToolPolicy's limits on a directive. */
const MAX_DIRECTIVES = 500;
const MAX_DIRECTIVE_TEXT = 2000;

/** The project's policy with team memory's standing orders added, so the tools refuse what a directive forbids. */
export function policyWithDirectives(policy: ToolPolicy, directives: readonly CompiledDirective[]): ToolPolicy {
  if (directives.length === 0) return policy;
  const compiled = directives.map((d) => ({
    id: d.id,
    text: d.text.slice(0, MAX_DIRECTIVE_TEXT),
    ...(d.paths ? { paths: d.paths } : {}),
    ...(d.commands ? { commands: d.commands } : {}),
  }));
  return { ...policy, directives: [...(policy.directives ?? []), ...compiled].slice(0, MAX_DIRECTIVES) };
}

export interface TaskSettingsInput {
  task: TaskSpec;
  options: CheckedExecuteOptions;
  policy: ToolPolicy;
  transcriptsDir: string;
  /** What is left of the run budgets. */
  budget: { maxTokens?: number; maxCostUsd?: number };
}

/** `context.settings.model` for one task: its role's model, prices, policy, transcript file and what it may spend. */
export function modelSettingsFor(input: TaskSettingsInput): ModelExecutorSettings {
  const { task, options, policy, transcriptsDir, budget } = input;
  const model = options.models[task.role];
  return {
    ...options.modelSettings,
    ...(model ? { model } : {}),
    ...(options.budgets.maxTurns ? { maxTurns: options.budgets.maxTurns } : {}),
    ...(options.pricing ? { pricing: options.pricing } : {}),
    policy,
    transcriptFile: join(transcriptsDir, `${task.id}.jsonl`),
    ...(budget.maxTokens !== undefined || budget.maxCostUsd !== undefined ? { budget } : {}),
    ...(task.role === 'verify' ? { verify: { requiredCommands: requiredCommandsFor(task, options.verify.testCommands), corrections: options.verify.corrections } } : {}),
  };
}
