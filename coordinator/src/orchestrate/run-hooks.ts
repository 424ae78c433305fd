import { BudgetExhaustedError, type TaskResultBody, type TaskSpec } from '@coordinate/protocol';
import type { ToolPolicy } from '@coordinate/tools';
import type { JournalEvent } from '../journal/events.js';
import type { RunHooks } from '../runtime/index.js';
import type { BudgetGuard } from './budget-guard.js';
import type { MemoryBridge } from './memory-bridge.js';
import type { CheckedExecuteOptions } from './options.js';
import type { TaskWorkspaces } from './task-workspace.js';
import { modelSettingsFor } from './task-settings.js';
import { judgeEvidence } from './verdict.js';
import { requiredCommandsFor } from '../verify/index.js';

/** runPlan's own default, kept when the run sets no turn limit. */
const DEFAULT_MAX_TURNS = 50;

export interface RunHookParts {
  options: CheckedExecuteOptions;
  guard: BudgetGuard;
  memory: MemoryBridge;
  /** Absent for a research-only run outside git: every task then works in the repository root. */
  workspaces: TaskWorkspaces | undefined;
  /** The project's policy with memory's directives, read once when the run starts. */
  policy: ToolPolicy;
  transcriptsDir: string;
}

/** Where worktrees, evidence checks, memory and budgets plug into runPlan. */
export function createRunHooks(parts: RunHookParts): RunHooks & { onEvent: (event: JournalEvent) => void } {
  const { options, guard, memory, workspaces, policy, transcriptsDir } = parts;
  return {
    async prepareTask(task: TaskSpec, attempt: number) {
      const stop = guard.exhausted();
      if (stop) throw new BudgetExhaustedError(stop.reason, { budget: stop.name });
      const { root, conflict, checkFailure } = workspaces ? await workspaces.prepare(task) : { root: options.repoRoot, conflict: undefined, checkFailure: undefined };
      const left = guard.remaining();
      const model = modelSettingsFor({ task, options, policy, transcriptsDir, budget: left });
      const role = options.models[task.role];
      return {
        root,
        memory: memory.snippetsFor(task),
        budget: { maxTurns: options.budgets.maxTurns ?? DEFAULT_MAX_TURNS, ...left },
        settings: { ...options.executorSettings?.(task, attempt), model },
        ...(role ? { model: role } : {}),
        ...(conflict ? { conflict } : {}),
        ...(checkFailure ? { checkFailure } : {}),
      };
    },
    async acceptResult(task: TaskSpec, result: TaskResultBody, attempt: number) {
      const judged = judgeEvidence(task, result, requiredCommandsFor(task, options.verify.testCommands));
      return task.role === 'implement' && workspaces ? workspaces.land(task, judged, attempt) : judged;
    },
    onMemorySearch: (message, workerId) => memory.search(message, workerId),
    onMemoryPropose: (message, workerId) => memory.propose(message, workerId),
    reserveBudget: (request) => guard.reserve(request),
    onProgress(taskId, event, usage) {
      memory.progress(taskId, event);
      options.onProgress?.(taskId, event, usage);
    },
    shouldStop: () => guard.exhausted()?.reason,
    onEvent(event: JournalEvent) {
      guard.observe(event);
      memory.observe(event);
      options.onEvent?.(event);
    },
  };
}
