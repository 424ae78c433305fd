import { BudgetExhaustedError, failedResult, type TaskResultBody, type TaskSpec, type ToolPolicy } from '@coordinate/protocol';
import { AttemptStages, type AttemptOutcome, type PreparedTask, type RunSession } from '../runtime/index.js';
import { requiredCommandsFor } from '../verify/index.js';
import type { BudgetGuard } from './budget-guard.js';
import type { MemoryBridge } from './memory-bridge.js';
import type { CheckedExecuteOptions } from './options.js';
import type { TaskWorkspaces } from './task-workspace.js';
import { modelSettingsFor } from './task-settings.js';
import { judgeEvidence } from './verdict.js';

/** The turn limit of a task when the run sets none. */
const DEFAULT_MAX_TURNS = 50;

export interface AttemptPipelineParts {
  options: CheckedExecuteOptions;
  session: RunSession;
  guard: BudgetGuard;
  memory: MemoryBridge;
  /** Absent for a research-only run outside git: every task then works in the repository root. */
  workspaces: TaskWorkspaces | undefined;
  /** The project's policy with memory's directives, read once when the run starts. */
  policy: ToolPolicy;
}

/**
 * One attempt of a task through its stages, driven from the orchestration side: prepared (its
 * worktree, model settings, memory, what is left of the budgets), handed to a worker by the
 * session up to `result` (journaled and acknowledged), then judged (the evidence checked against
 * the commands that really ran), merged (an implementation's work lands on the run branch, a
 * `task.merged` event) and recorded (`task.finished`, which the scheduler acts on).
 */
export class AttemptPipeline {
  constructor(private readonly parts: AttemptPipelineParts) {}

  async run(task: TaskSpec, attempt: number, signal: AbortSignal): Promise<AttemptOutcome> {
    const { session } = this.parts;
    const stages = new AttemptStages(task.id, attempt);
    let prepared: PreparedTask;
    try {
      prepared = await this.#prepare(task, attempt);
    } catch (error) {
      return session.recordVerdict(task, stages, failedResult(error, 'prepare_failed'));
    }
    const outcome = await session.attempt(task, stages, prepared, signal);
    if (outcome.kind !== 'result') return outcome;
    let result: TaskResultBody;
    try {
      result = await this.#judgeAndMerge(task, stages, outcome.result);
    } catch (error) {
      result = failedResult(error, 'result_rejected');
    }
    return session.recordVerdict(task, stages, result);
  }

  async #prepare(task: TaskSpec, attempt: number): Promise<PreparedTask> {
    const { options, guard, memory, workspaces, policy, session } = this.parts;
    const stop = guard.exhausted();
    if (stop) throw new BudgetExhaustedError(stop.reason, { budget: stop.name });
    const { root, conflict, checkFailure } = workspaces ? await workspaces.prepare(task) : { root: options.repoRoot, conflict: undefined, checkFailure: undefined };
    const left = guard.remaining();
    const waited = attempt > 1 ? session.leaseRefusal(task.id, attempt - 1) : undefined;
    const model = modelSettingsFor({ task, options, policy, transcriptsDir: session.paths.transcripts, budget: left });
    const role = options.models[task.role];
    return {
      root,
      memory: memory.snippetsFor(task),
      budget: { maxTurns: options.budgets.maxTurns ?? DEFAULT_MAX_TURNS, ...left },
      settings: { ...options.executorSettings?.(task, attempt), model },
      ...(role ? { model: role } : {}),
      ...(conflict ? { conflict } : {}),
      ...(checkFailure ? { checkFailure } : {}),
      ...(waited ? { leaseWait: { attempt: attempt - 1, ...waited } } : {}),
    };
  }

  /** The stage `merged` for a succeeded implementation; every other result goes straight to `recorded`. */
  async #judgeAndMerge(task: TaskSpec, stages: AttemptStages, reported: TaskResultBody): Promise<TaskResultBody> {
    const { options, workspaces, session } = this.parts;
    const judged = judgeEvidence(task, reported, requiredCommandsFor(task, options.verify.testCommands));
    if (task.role !== 'implement' || !workspaces) return judged;
    const landed = await workspaces.land(task, judged, stages.attempt);
    if (landed.merged) {
      stages.move('merged');
      session.record({ type: 'task.merged', taskId: task.id, attempt: stages.attempt, ...landed.merged });
    }
    return landed.result;
  }
}
