import type { Logger } from '@coordinate/logging';
import type { ProgressEvent, TaskResultBody, TaskSpec, Usage } from '@coordinate/protocol';
import { LocalScratchpad, taskScratchpad } from '@coordinate/scratchpad';
import { createModelExecutor } from '@coordinate/worker';

export interface InProcessTask {
  task: TaskSpec;
  /** The scripted Messages-API server the model executor talks to. */
  baseUrl: string;
  root: string;
  scratchpadDir: string;
  maxTurns: number;
  /** The model executor's settings (`context.settings.model`). */
  model: Record<string, unknown>;
  progress: (event: ProgressEvent, usage?: Usage) => void;
  logger: Logger;
}

/**
 * One task run by the real model executor inside the bench's own process, with no coordinator:
 * no team memory, no run budget to reserve against, the OS sandbox on.
 */
export function runInProcess(options: InProcessTask): Promise<TaskResultBody> {
  const { task, root, scratchpadDir } = options;
  const execute = createModelExecutor({ env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'bench-key-not-secret', ANTHROPIC_BASE_URL: options.baseUrl }, cwd: root });
  return execute({
    task,
    attempt: 1,
    limits: { sandbox: true },
    context: { runId: 'bench', root, scratchpadDir, dependencies: [], memory: [], budget: { maxTurns: options.maxTurns }, settings: { model: options.model } },
    signal: new AbortController().signal,
    progress: options.progress,
    scratchpad: taskScratchpad(new LocalScratchpad(scratchpadDir), task.id),
    memory: { search: () => Promise.resolve([]), propose: () => Promise.resolve(undefined) },
    reserve: () => Promise.resolve(undefined),
    logger: options.logger,
  });
}
